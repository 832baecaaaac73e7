package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvResult.Pair;
import oskr.core.Bytes;

/**
 * Finds the timed-out operations that cannot change the verdict, so that the search need not carry
 * them: a timed-out operation stays a candidate at every later point of the search, which is where
 * its cost lies. Dropping one is sound when any linearization that includes it stays a
 * linearization without it (the converse always holds: it may never have taken effect).
 *
 * <ul>
 *   <li>A timed-out Get or Scan: it changes no state and its result is unconstrained.
 *   <li>A timed-out Put(k, v) whose pair (k, v) no completed result shows, unless a completed
 *       Delete of k that found k present responded after the Put was invoked, or some Scan was
 *       truncated by its byte budget. Removing the Put from a linearization changes only key k,
 *       from the Put to the next write of k. In between, no completed Get of k saw v and no Scan
 *       showed (k, v); a Scan that did not show k stopped at its limit before k, unchanged without
 *       the Put. The next write of k, if completed, is not a Put (it would have shown v) nor a
 *       Delete that found k (excluded above).
 *   <li>A timed-out Delete of k, unless a completed operation that responded after the Delete was
 *       invoked saw k absent: a Get of k found nothing, a Put of k inserted, a Delete of k found
 *       nothing, or a Scan covering k would have shown k (it returned fewer pairs than its limit, k
 *       lies before its last pair, or it was truncated). Removing the Delete changes only key k,
 *       from the Delete to the next write of k, and no completed operation there saw the absence it
 *       caused.
 * </ul>
 */
final class Relevance {
  private final Set<Pair> observedPairs = new HashSet<>();
  // Per key, the latest response of a completed Delete that found the key present.
  private final Map<Bytes, Long> lastDeleteOfPresent = new HashMap<>();
  // Per key, the latest response of a completed point operation that saw the key absent.
  private final Map<Bytes, Long> lastSeenAbsent = new HashMap<>();
  private final List<Operation> completedScans = new ArrayList<>();
  private boolean anyScanTruncated;

  Relevance(List<Operation> history) {
    for (Operation operation : history) {
      if (operation.isTimedOut()) continue;
      Bytes key = Partitioner.pointKey(operation.op());
      long response = operation.responseTime();
      switch (operation.result()) {
        case KvResult.GetResult get -> {
          if (get.found()) {
            observedPairs.add(new Pair(key, get.value()));
          } else {
            lastSeenAbsent.merge(key, response, Math::max);
          }
        }
        case KvResult.PutResult put -> {
          if (put.replaced()) {
            observedPairs.add(new Pair(key, put.previous()));
          } else {
            lastSeenAbsent.merge(key, response, Math::max);
          }
        }
        case KvResult.DeleteResult delete ->
            (delete.existed() ? lastDeleteOfPresent : lastSeenAbsent)
                .merge(key, response, Math::max);
        case KvResult.ScanResult scan -> {
          observedPairs.addAll(scan.pairs());
          anyScanTruncated |= scan.truncated();
          completedScans.add(operation);
        }
        case KvResult.StoreFull _, KvResult.BadOp _ -> {}
      }
    }
  }

  /** Whether the search must consider {@code operation}. */
  boolean matters(Operation operation) {
    if (!operation.isTimedOut()) return true;
    long invoke = operation.invokeTime();
    return switch (operation.op()) {
      case KvOp.Get _, KvOp.Scan _ -> false;
      case KvOp.Put put ->
          anyScanTruncated
              || lastDeleteOfPresent.getOrDefault(put.key(), -1L) >= invoke
              || observedPairs.contains(new Pair(put.key(), put.value()));
      case KvOp.Delete delete ->
          lastSeenAbsent.getOrDefault(delete.key(), -1L) >= invoke
              || anyScanSawAbsent(delete.key(), invoke);
    };
  }

  private boolean anyScanSawAbsent(Bytes key, long after) {
    for (Operation operation : completedScans) {
      if (operation.responseTime() < after) continue;
      KvOp.Scan scan = (KvOp.Scan) operation.op();
      KvResult.ScanResult result = (KvResult.ScanResult) operation.result();
      if (scan.covers(key) && wouldShow(result, scan.limit(), key)) return true;
    }
    return false;
  }

  /** Whether a scan covering {@code key} that returned {@code result} would have shown it. */
  private static boolean wouldShow(KvResult.ScanResult result, int limit, Bytes key) {
    List<Pair> pairs = result.pairs();
    return result.truncated() || pairs.size() < limit || key.compareTo(pairs.getLast().key()) <= 0;
  }
}
