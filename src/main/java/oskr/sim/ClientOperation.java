package oskr.sim;

import oskr.core.Address;
import oskr.core.Bytes;

/**
 * One operation of the simulated workload, as its client saw it: the history a linearizability
 * checker reads. An operation still outstanding when the run stopped (or whose client lost its
 * state in a crash) has no completion: it may or may not have taken effect.
 *
 * @param client the client's index in the simulation
 * @param address the client's address
 * @param clientId the protocol client id at invocation (a client restarted without state gets a new
 *     one)
 * @param invokedNanos virtual time of {@link oskr.protocol.Client#invoke}
 * @param completedNanos virtual time of the accepted result, or {@link #PENDING}
 * @param result the accepted result; empty while pending
 */
public record ClientOperation(
    int client,
    Address address,
    long clientId,
    Bytes op,
    long invokedNanos,
    long completedNanos,
    Bytes result) {
  public static final long PENDING = -1;

  public ClientOperation {
    assert completedNanos == PENDING || completedNanos >= invokedNanos : "completed before invoked";
    assert completedNanos != PENDING || result.length() == 0 : "a pending operation has a result";
  }

  static ClientOperation invoked(int client, Address address, long clientId, Bytes op, long now) {
    return new ClientOperation(client, address, clientId, op, now, PENDING, Bytes.EMPTY);
  }

  ClientOperation completed(long now, Bytes accepted) {
    return new ClientOperation(client, address, clientId, op, invokedNanos, now, accepted);
  }

  public boolean isCompleted() {
    return completedNanos != PENDING;
  }
}
