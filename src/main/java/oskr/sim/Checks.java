package oskr.sim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import oskr.core.Bytes;

/**
 * Safety checks over a run's recorded histories. Each returns the violations found, in history
 * order, one readable line each; an empty list means the property held. Hash maps here are only
 * looked up, never iterated, so the output order is the history's.
 */
public final class Checks {
  /** Violations listed at most, so a broken run still gives a readable message. */
  static final int VIOLATIONS_MAX = 20;

  private Checks() {}

  private record ReplicaState(int replica, int incarnation) {}

  /**
   * Exactly-once execution: no replica executes one operation twice in one incarnation (a replica
   * restarted without its state starts a new one). Workload ops are unique, so a repeat is a
   * retried request executed again.
   */
  public static List<String> exactlyOnce(List<Execution> executions) {
    List<String> violations = new ArrayList<>();
    HashMap<ReplicaState, HashSet<Bytes>> executed = new HashMap<>();
    for (Execution execution : executions) {
      ReplicaState state = new ReplicaState(execution.replica(), execution.incarnation());
      if (!executed.computeIfAbsent(state, s -> new HashSet<>()).add(execution.op())) {
        add(violations, "executed twice: " + execution);
      }
    }
    return violations;
  }

  /**
   * Agreement: every replica that executed op number k executed the same op there, and each replica
   * incarnation executes op numbers in increasing order.
   */
  public static List<String> agreement(List<Execution> executions) {
    List<String> violations = new ArrayList<>();
    HashMap<Long, Execution> firstAt = new HashMap<>();
    HashMap<ReplicaState, Long> lastOpNumber = new HashMap<>();
    for (Execution execution : executions) {
      Execution first = firstAt.putIfAbsent(execution.opNumber(), execution);
      if (first != null && !first.op().equals(execution.op())) {
        add(
            violations,
            "diverged at op number " + execution.opNumber() + ": " + first + " vs " + execution);
      }
      ReplicaState state = new ReplicaState(execution.replica(), execution.incarnation());
      Long last = lastOpNumber.put(state, execution.opNumber());
      if (last != null && execution.opNumber() <= last) {
        add(violations, "op number went from " + last + " to " + execution);
      }
    }
    return violations;
  }

  /**
   * No forged result: every result a client accepted is one a replica produced for that very
   * operation.
   */
  public static List<String> acceptedResultsExecuted(
      List<ClientOperation> history, List<Execution> executions) {
    HashMap<Bytes, HashSet<Bytes>> resultsOf = new HashMap<>();
    for (Execution execution : executions) {
      resultsOf.computeIfAbsent(execution.op(), op -> new HashSet<>()).add(execution.result());
    }
    List<String> violations = new ArrayList<>();
    for (ClientOperation operation : history) {
      if (!operation.isCompleted()) continue;
      HashSet<Bytes> results = resultsOf.get(operation.op());
      if (results == null || !results.contains(operation.result())) {
        add(violations, "accepted a result no replica produced: " + operation);
      }
    }
    return violations;
  }

  /** Liveness at the end of a run: operations still pending. */
  public static List<String> allCompleted(List<ClientOperation> history) {
    List<String> violations = new ArrayList<>();
    for (ClientOperation operation : history) {
      if (!operation.isCompleted()) add(violations, "never completed: " + operation);
    }
    return violations;
  }

  private static void add(List<String> violations, String violation) {
    if (violations.size() < VIOLATIONS_MAX) violations.add(violation);
  }
}
