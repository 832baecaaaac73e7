package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.List;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;

/**
 * Records a KV history as clients see it, for {@link LinearizabilityChecker}: a client calls {@link
 * #invoke} when it sends an operation and {@link #complete} when it accepts the result. An
 * operation never completed counts as timed out. Not thread-safe (the simulator is one thread).
 */
public final class HistoryRecorder {
  private final List<Integer> clients = new ArrayList<>();
  private final List<Long> invokeTimes = new ArrayList<>();
  private final List<KvOp> ops = new ArrayList<>();
  private final List<Operation> completed = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  /** Records an invocation; returns the handle to complete it with. */
  public int invoke(int client, long time, KvOp op) {
    clients.add(client);
    invokeTimes.add(time);
    ops.add(op);
    completed.add(null);
    return ops.size() - 1;
  }

  /** Records the result of invocation {@code handle}. */
  public void complete(int handle, long time, KvResult result) {
    if (completed.get(handle) != null) {
      throw new IllegalStateException("operation " + handle + " completed twice");
    }
    Operation operation =
        Operation.completed(
            clients.get(handle), invokeTimes.get(handle), time, ops.get(handle), result);
    completed.set(handle, operation);
  }

  /**
   * Records a result as the client received it. Bytes that do not decode as a result of the
   * operation's kind are a replica bug: they are listed in {@link #problems()} and the operation
   * stays timed out (its effect unknown).
   */
  public void complete(int handle, long time, Bytes result) {
    try {
      complete(handle, time, KvResult.decodeFor(ops.get(handle), result));
    } catch (MalformedMessage e) {
      problems.add(
          "operation %d (client %d, %s) got an undecodable result at %d: %s %s"
              .formatted(
                  handle,
                  clients.get(handle),
                  HistoryFormat.op(ops.get(handle)),
                  time,
                  e.reason(),
                  HistoryFormat.bytes(result)));
    }
  }

  /** The history in invocation order; operations not completed are timed out. */
  public List<Operation> history() {
    List<Operation> history = new ArrayList<>(ops.size());
    for (int i = 0; i < ops.size(); i++) {
      Operation operation = completed.get(i);
      history.add(
          operation != null
              ? operation
              : Operation.timedOut(clients.get(i), invokeTimes.get(i), ops.get(i)));
    }
    return history;
  }

  /** Results that could not be decoded; empty in a correct run. */
  public List<String> problems() {
    return List.copyOf(problems);
  }
}
