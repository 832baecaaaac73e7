package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import oskr.core.Bytes;
import oskr.sim.linearizability.Partitioner.Partition;

/**
 * Checks that a client-observed KV history is linearizable: the history is split into independent
 * partitions by key ({@link Partitioner}), and each partition is searched with Wing and Gong's
 * algorithm and Lowe's memoization ({@link Search}) against a sequential model of the store ({@link
 * KvModel}). Timed-out operations count as possibly applied, at any time after their invocation,
 * with any result, or never.
 *
 * <p>The history must start from an empty store. Each partition's search has a step budget; past it
 * the verdict is {@link Verdict.Outcome#UNKNOWN}, unless another partition fails. Stateless and
 * single-threaded; one checker may check many histories.
 */
public final class LinearizabilityChecker {
  /** Enough for thousands of operations from a handful of concurrent clients. */
  public static final long DEFAULT_STEP_BUDGET = 2_000_000;

  private static final int LISTED_OPERATIONS_MAX = 40;
  private static final int LISTED_KEYS_MAX = 20;

  private final long stepBudget;

  public LinearizabilityChecker() {
    this(DEFAULT_STEP_BUDGET);
  }

  /** A checker that gives up on a partition after {@code stepBudget} search steps. */
  public LinearizabilityChecker(long stepBudget) {
    if (stepBudget <= 0) throw new IllegalArgumentException("stepBudget must be positive");
    this.stepBudget = stepBudget;
  }

  public Verdict check(List<Operation> history) {
    List<Partition> partitions = Partitioner.partition(history);
    long steps = 0;
    String unknown = null;
    for (int p = 0; p < partitions.size(); p++) {
      Partition partition = partitions.get(p);
      List<Operation> operations = new ArrayList<>();
      for (int index : partition.operations()) operations.add(history.get(index));
      KvModel model = new KvModel(partition.keys(), operations);
      Search.Result result = new Search(model, operations, stepBudget).run();
      steps += result.steps();
      switch (result.outcome()) {
        case LINEARIZABLE -> {}
        case NOT_LINEARIZABLE -> {
          String where = where(p, partitions.size(), partition);
          String report = failureReport(where, history, partition, model, result);
          return new Verdict(Verdict.Outcome.NOT_LINEARIZABLE, report, partitions.size(), steps);
        }
        case BUDGET_EXCEEDED -> {
          if (unknown == null) {
            unknown =
                ("unknown: the search of %s exceeded its budget of %d steps; the history is"
                        + " neither proven linearizable nor refuted (raise the budget or shorten"
                        + " the run)")
                    .formatted(where(p, partitions.size(), partition), stepBudget);
          }
        }
      }
    }
    if (unknown != null) {
      return new Verdict(Verdict.Outcome.UNKNOWN, unknown, partitions.size(), steps);
    }
    String report =
        "linearizable: %d operations in %d partitions, %d search steps"
            .formatted(history.size(), partitions.size(), steps);
    return new Verdict(Verdict.Outcome.LINEARIZABLE, report, partitions.size(), steps);
  }

  private static String where(int p, int count, Partition partition) {
    StringJoiner keys = new StringJoiner(", ");
    Bytes[] all = partition.keys();
    for (int k = 0; k < Math.min(all.length, LISTED_KEYS_MAX); k++) {
      keys.add(HistoryFormat.bytes(all[k]));
    }
    if (all.length > LISTED_KEYS_MAX) keys.add("… " + all.length + " keys");
    if (all.length == 0) keys.add("none");
    return "partition %d of %d (keys %s; %d operations)"
        .formatted(p + 1, count, keys, partition.operations().length);
  }

  /**
   * The deepest point of the search: the longest prefix it could linearize, the state after it, and
   * the operation it then could not linearize before that operation's response. Lists the
   * partition's operations around that point, in invoke order; {@code *} marks those not in the
   * prefix.
   */
  private static String failureReport(
      String where, List<Operation> history, Partition partition, KvModel model, Search.Result r) {
    int[] toHistory = partition.operations();
    StringBuilder text = new StringBuilder("not linearizable: ").append(where).append('\n');
    int[] longestPrefix = r.longestPrefix();
    StringJoiner prefix = new StringJoiner(", ");
    int firstShown = Math.max(0, longestPrefix.length - LISTED_OPERATIONS_MAX / 2);
    if (firstShown > 0) prefix.add("… " + firstShown + " earlier");
    BitSet inPrefix = new BitSet();
    for (int i = 0; i < longestPrefix.length; i++) {
      if (i >= firstShown) prefix.add("#" + toHistory[longestPrefix[i]]);
      inPrefix.set(longestPrefix[i]);
    }
    int blocked = r.blocked();
    text.append("the search got furthest linearizing ")
        .append(longestPrefix.length)
        .append(" operations in this order: ")
        .append(longestPrefix.length == 0 ? "(none)" : prefix)
        .append("\nwith the state then ")
        .append(state(model, r.state()))
        .append("\nand found no way to linearize this operation before its response:\n  ")
        .append(HistoryFormat.operation(toHistory[blocked], history.get(toHistory[blocked])))
        .append("\noperations of the partition by invoke time (* = not in that prefix):\n");
    long horizon = history.get(toHistory[blocked]).responseTime();
    List<Integer> listed = listed(history, toHistory, inPrefix, horizon);
    for (int local : listed) {
      text.append(inPrefix.get(local) ? "    " : "  * ")
          .append(HistoryFormat.operation(toHistory[local], history.get(toHistory[local])))
          .append('\n');
    }
    if (listed.size() < toHistory.length) {
      text.append("  (")
          .append(toHistory.length - listed.size())
          .append(" more operations of the partition not shown)\n");
    }
    return text.toString();
  }

  /**
   * All operations of a small partition; for a large one, those not in the prefix invoked by the
   * horizon (the candidates the search tried) and the last few of the prefix, up to a bound.
   */
  private static List<Integer> listed(
      List<Operation> history, int[] toHistory, BitSet inPrefix, long horizon) {
    Comparator<Integer> byInvoke =
        Comparator.comparingLong((Integer local) -> history.get(toHistory[local]).invokeTime())
            .thenComparingInt(local -> local);
    List<Integer> all = new ArrayList<>();
    for (int local = 0; local < toHistory.length; local++) all.add(local);
    all.sort(byInvoke);
    if (all.size() <= LISTED_OPERATIONS_MAX) return all;
    List<Integer> prefixTail = new ArrayList<>();
    List<Integer> pending = new ArrayList<>();
    for (int local : all) {
      if (inPrefix.get(local)) {
        prefixTail.add(local);
      } else if (history.get(toHistory[local]).invokeTime() <= horizon) {
        pending.add(local);
      }
    }
    int tail = Math.max(LISTED_OPERATIONS_MAX / 4, LISTED_OPERATIONS_MAX - pending.size());
    List<Integer> chosen =
        new ArrayList<>(
            prefixTail.subList(Math.max(0, prefixTail.size() - tail), prefixTail.size()));
    chosen.addAll(
        pending.subList(0, Math.min(pending.size(), LISTED_OPERATIONS_MAX - chosen.size())));
    chosen.sort(byInvoke);
    return chosen;
  }

  private static String state(KvModel model, KvModel.State state) {
    StringJoiner text = new StringJoiner(", ", "{", "}");
    Bytes[] keys = model.keys();
    int shown = 0;
    for (int k = 0; k < keys.length; k++) {
      if (state.value(k) == null) continue;
      if (shown++ == LISTED_KEYS_MAX) {
        text.add("…");
        break;
      }
      text.add(HistoryFormat.bytes(keys[k]) + ": " + HistoryFormat.bytes(state.value(k)));
    }
    return text.toString();
  }
}
