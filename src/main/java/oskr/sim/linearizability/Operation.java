package oskr.sim.linearizability;

import java.util.Objects;
import oskr.app.KvOp;
import oskr.app.KvResult;

/**
 * One client operation as the client observed it: invoked at {@code invokeTime}, answered at {@code
 * responseTime} with {@code result}. Times are virtual nanoseconds.
 *
 * <p>A timed-out operation (no response observed) has {@code responseTime == NEVER} and a null
 * {@code result}: it may have taken effect at any point after its invocation, with any result, or
 * never.
 */
public record Operation(int client, long invokeTime, long responseTime, KvOp op, KvResult result) {
  /** The response time of an operation whose response was never observed. */
  public static final long NEVER = Long.MAX_VALUE;

  public Operation {
    Objects.requireNonNull(op, "op");
    if (responseTime == NEVER) {
      if (result != null) throw new IllegalArgumentException("a timed-out operation has a result");
    } else {
      Objects.requireNonNull(result, "result of a completed operation");
      if (responseTime < invokeTime) throw new IllegalArgumentException("response before invoke");
    }
  }

  public static Operation completed(
      int client, long invokeTime, long responseTime, KvOp op, KvResult result) {
    return new Operation(client, invokeTime, responseTime, op, result);
  }

  public static Operation timedOut(int client, long invokeTime, KvOp op) {
    return new Operation(client, invokeTime, NEVER, op, null);
  }

  public boolean isTimedOut() {
    return responseTime == NEVER;
  }

  /** Whether this operation changes no state whatever happens (its effect can be ignored). */
  boolean isReadOnly() {
    return op instanceof KvOp.Get || op instanceof KvOp.Scan;
  }
}
