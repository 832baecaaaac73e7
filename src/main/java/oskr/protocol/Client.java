package oskr.protocol;

import oskr.core.Bytes;

/**
 * A protocol client with at most one operation outstanding. The result of {@link #invoke} goes to
 * the {@link ClientSetup#results()} callback, on the protocol thread.
 */
public interface Client<M> extends Node<M> {
  /** Starts an operation; the previous one must have completed. */
  void invoke(Bytes op);

  /** Whether an operation is outstanding. */
  boolean busy();

  Drops drops();
}
