package oskr.core;

/**
 * The replicated state machine. Operations and results are opaque bytes. Called only from the
 * protocol thread, in the order the protocol decided; must be deterministic.
 */
public interface App {
  /** Executes {@code op} as operation number {@code opNumber} and returns its result. */
  Bytes execute(long opNumber, Bytes op);
}
