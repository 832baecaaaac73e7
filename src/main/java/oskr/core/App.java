package oskr.core;

/**
 * The replicated state machine. Operations and results are opaque bytes. Called only from the
 * protocol thread, in the order the protocol decided; must be deterministic.
 *
 * <p>Protocols with checkpoints and state transfer (PBFT) digest {@link #snapshot()} to agree on
 * the state and ship it to a replica that fell behind, which installs it with {@link
 * #restoreFrom}.
 */
public interface App {
  /** Executes {@code op} as operation number {@code opNumber} and returns its result. */
  Bytes execute(long opNumber, Bytes op);

  /**
   * The whole state as canonical bytes: two apps that executed the same operations return equal
   * bytes (so digests of snapshots can be compared across replicas).
   */
  Bytes snapshot();

  /**
   * Replaces the whole state with one from {@link #snapshot()}, verified by the protocol against
   * a digest agreed by a quorum before this is called.
   *
   * @throws IllegalArgumentException if the bytes are not a snapshot of this app
   */
  void restoreFrom(Bytes snapshot);

  /** The execute function of an app without state, see {@link #stateless}. */
  @FunctionalInterface
  interface Execute {
    Bytes execute(long opNumber, Bytes op);
  }

  /**
   * An app whose results depend only on the operation and its number (echo, null, numbering): its
   * snapshot is empty. For example {@code App.stateless((opNumber, op) -> Bytes.EMPTY)}.
   */
  static App stateless(Execute execute) {
    return new App() {
      @Override
      public Bytes execute(long opNumber, Bytes op) {
        return execute.execute(opNumber, op);
      }

      @Override
      public Bytes snapshot() {
        return Bytes.EMPTY;
      }

      @Override
      public void restoreFrom(Bytes snapshot) {
        if (snapshot.length() != 0) throw new IllegalArgumentException("a stateless app");
      }
    };
  }
}
