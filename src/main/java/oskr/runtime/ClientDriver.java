package oskr.runtime;

import oskr.core.Bytes;
import oskr.protocol.Completion;

/**
 * Drives closed-loop clients: asked for each client's next operation, told of each completion.
 * Called on the client's event-loop thread; must not block.
 */
public interface ClientDriver {
  /** The next operation of client {@code client} (0-based). */
  Bytes nextOp(int client);

  /**
   * Client {@code client} got {@code result}, by {@code completion}'s path; {@code latencyNanos}
   * from the first send to the accepted reply. The host then invokes the client's next operation,
   * unless closed.
   */
  void completed(int client, Bytes result, Completion completion, long latencyNanos);

  /**
   * Whether client {@code client} is done: the host invokes no further operation for it (a load
   * phase that ends). Asked before each invocation.
   */
  default boolean finished(int client) {
    return false;
  }
}
