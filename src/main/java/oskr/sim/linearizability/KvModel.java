package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvResult.Pair;
import oskr.core.Bytes;

/**
 * The sequential specification of the KV store restricted to one partition's keys, written
 * independently of {@link oskr.app.KvStore} so the checker can catch the store's bugs too. It
 * shares only the op and result types and the spec's constants (limits, result byte budget).
 *
 * <p>A state maps each of the partition's sorted keys to a value or absent. It is an immutable
 * array indexed like the keys, rather than a TreeMap, because the search memoizes states: equality
 * and hashing of an array are cheap, and a write copies one small array.
 *
 * <p>StoreFull depends on the whole store's size, which a partition cannot see, so a Put answered
 * StoreFull is accepted as having had no effect; the checker does not verify the store was full.
 */
final class KvModel {
  private final Bytes[] keys;
  private final List<Operation> operations;
  private final int[] rangeFrom; // per operation: its key index, or a Scan's first key index
  private final int[] rangeTo; // per operation: a Scan's end key index (exclusive)

  /** An immutable model state; values[k] is the value of keys[k], or null when absent. */
  static final class State {
    private final Bytes[] values;
    private final int hash;

    State(Bytes[] values) {
      this.values = values;
      this.hash = Arrays.hashCode(values);
    }

    Bytes value(int key) {
      return values[key];
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof State that && hash == that.hash && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  KvModel(Bytes[] keys, List<Operation> operations) {
    this.keys = keys;
    this.operations = operations;
    rangeFrom = new int[operations.size()];
    rangeTo = new int[operations.size()];
    for (int i = 0; i < operations.size(); i++) {
      KvOp op = operations.get(i).op();
      if (op instanceof KvOp.Scan scan) {
        rangeFrom[i] = Partitioner.lowerBound(keys, scan.fromKey());
        rangeTo[i] = Partitioner.rangeEnd(keys, scan, rangeFrom[i]);
      } else {
        int key = Arrays.binarySearch(keys, Partitioner.pointKey(op));
        assert key >= 0 : "the partition holds every key its operations name";
        rangeFrom[i] = key;
      }
    }
  }

  /**
   * Per operation, whether it is a completed Put or Delete that no other operation on its key (a
   * point operation on it, or a Scan covering it) overlaps in time. Intervals are closed and a
   * timed-out operation's never ends.
   *
   * <p>Per key, the operations touching it sorted by invocation: one overlaps an earlier one
   * exactly when the latest response before it is at or after its invocation, and a later one
   * exactly when the next invocation is at or before its response. So a soak's history of a million
   * operations on a few keys costs a sort, not a comparison of every pair.
   */
  boolean[] isolatedWrites() {
    List<List<Integer>> touching = new ArrayList<>();
    for (int k = 0; k < keys.length; k++) touching.add(new ArrayList<>());
    for (int i = 0; i < operations.size(); i++) {
      if (operations.get(i).op() instanceof KvOp.Scan) {
        for (int k = rangeFrom[i]; k < rangeTo[i]; k++) touching.get(k).add(i);
      } else {
        touching.get(rangeFrom[i]).add(i);
      }
    }
    boolean[] isolated = new boolean[operations.size()];
    for (List<Integer> onKey : touching) {
      onKey.sort(Comparator.comparingLong(i -> operations.get(i).invokeTime()));
      long latestResponse = Long.MIN_VALUE;
      for (int p = 0; p < onKey.size(); p++) {
        Operation operation = operations.get(onKey.get(p));
        boolean overlapsEarlier = latestResponse >= operation.invokeTime();
        boolean overlapsLater =
            p + 1 < onKey.size()
                && operations.get(onKey.get(p + 1)).invokeTime() <= operation.responseTime();
        if (!(operation.op() instanceof KvOp.Scan)
            && !operation.isTimedOut()
            && !operation.isReadOnly()) {
          isolated[onKey.get(p)] = !overlapsEarlier && !overlapsLater;
        }
        latestResponse = Math.max(latestResponse, operation.responseTime());
      }
    }
    return isolated;
  }

  State initial() {
    return new State(new Bytes[keys.length]);
  }

  Bytes[] keys() {
    return keys;
  }

  /**
   * The state after operation {@code index} takes effect in {@code state}, or null when its
   * observed result cannot come from {@code state}. A timed-out operation is unconstrained.
   */
  State step(State state, int index) {
    Operation operation = operations.get(index);
    KvResult observed = operation.result();
    int key = rangeFrom[index];
    Bytes current = key < keys.length ? state.value(key) : null;
    return switch (operation.op()) {
      case KvOp.Get _ -> matches(observed, getResult(current)) ? state : null;
      case KvOp.Put put -> {
        if (observed instanceof KvResult.StoreFull) yield state;
        yield matches(observed, putResult(current)) ? with(state, key, put.value()) : null;
      }
      case KvOp.Delete _ ->
          matches(observed, new KvResult.DeleteResult(current != null))
              ? with(state, key, null)
              : null;
      case KvOp.Scan scan -> matches(observed, scan(state, scan, index)) ? state : null;
    };
  }

  private static boolean matches(KvResult observed, KvResult expected) {
    return observed == null || observed.equals(expected);
  }

  private static KvResult getResult(Bytes current) {
    return current == null ? KvResult.GetResult.absent() : KvResult.GetResult.of(current);
  }

  private static KvResult putResult(Bytes current) {
    return current == null ? KvResult.PutResult.inserted() : KvResult.PutResult.replacing(current);
  }

  private static State with(State state, int key, Bytes value) {
    if (value == null ? state.value(key) == null : value.equals(state.value(key))) return state;
    Bytes[] values = state.values.clone();
    values[key] = value;
    return new State(values);
  }

  /** The spec of Scan: in-range pairs in key order, up to the limit and the result budget. */
  private KvResult.ScanResult scan(State state, KvOp.Scan scan, int index) {
    List<Pair> pairs = new ArrayList<>();
    long size = KvResult.SCAN_HEADER_BYTES;
    for (int k = rangeFrom[index]; k < rangeTo[index] && pairs.size() < scan.limit(); k++) {
      Bytes value = state.value(k);
      if (value == null) continue;
      size += KvResult.scanPairBytes(keys[k], value);
      if (size > KvResult.RESULT_MAX) return new KvResult.ScanResult(pairs, true);
      pairs.add(new Pair(keys[k], value));
    }
    return new KvResult.ScanResult(pairs, false);
  }
}
