package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Wing and Gong's linearizability search with Lowe's memoization ("Testing for linearizability",
 * 2017), the algorithm of Knossos and Porcupine, over one partition.
 *
 * <p>Calls and responses form a doubly linked list in time order. The search walks it from the
 * front: at a call it tries to linearize that operation now (the model step must accept its result)
 * and, if the pair (set of linearized operations, model state) is new, lifts the operation out of
 * the list and starts over; at a response it has failed to linearize that operation before it
 * responded, so it backtracks. Lowe's cache prunes every configuration seen before.
 *
 * <p>Timed-out operations have a call but no response: they may be linearized anywhere after their
 * call (with any result), and are never forced, so they may also never take effect. The search
 * succeeds once every completed operation is linearized.
 *
 * <p>Two additions keep it fast without changing its verdict: a node with a candidate that can go
 * first without loss (see {@link #forcedCandidate}) tries only that one, and the cache holds a
 * fingerprint of the linearized set instead of a bitset.
 *
 * <p>Real time: A precedes B when A responded strictly before B was invoked; at equal times the
 * calls sort first, so touching intervals count as concurrent (the lenient reading).
 */
final class Search {
  enum Outcome {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    BUDGET_EXCEEDED
  }

  /** The outcome, the steps taken, and on failure the deepest point the search reached. */
  record Result(
      Outcome outcome, long steps, int[] longestPrefix, int blocked, KvModel.State state) {}

  private static final int HEAD = -1; // the list's sentinel, and its end marker
  private static final int FAILED = -2; // backtrack found no node with candidates left
  private static final long ZOBRIST_SEED = 0x5eed_11ea_7ab1_e5e1L;

  private final KvModel model;
  private final List<Operation> operations;
  private final long stepBudget;
  private final boolean[] isolatedWrite;
  // Entry 2i is operation i's call, 2i + 1 its response; the head is a sentinel outside them.
  private final int[] next;
  private final int[] previous;
  private int headNext;

  /**
   * Lowe's cache key: the set of linearized operations as a 128-bit Zobrist fingerprint (the XOR of
   * two random words per member) rather than a bitset. A bitset costs n/8 bytes per entry and per
   * step; two distinct sets share a fingerprint with probability 2^-128, and such a clash could
   * only prune a configuration wrongly (a false failure), far below any other risk.
   */
  private record Configuration(long linearizedLow, long linearizedHigh, KvModel.State state) {}

  // The search: the fingerprint of the linearized set; the cache; the operations linearized so
  // far in order (their call entries), the state before each, whether each was forced (see
  // forcedCandidate); the current state.
  private final long[] zobristLow;
  private final long[] zobristHigh;
  private long linearizedLow;
  private long linearizedHigh;
  private final Set<Configuration> seen = new HashSet<>();
  private int[] callStack;
  private KvModel.State[] stateStack;
  private boolean[] forcedStack;
  private int depth;
  private KvModel.State state;
  private int remaining; // completed operations not yet linearized
  private KvModel.State forcedState;
  // The deepest point reached, for the failure report.
  private int[] longestPrefix = new int[0];
  private int blocked = -1;
  private KvModel.State blockedState;

  Search(KvModel model, List<Operation> operations, long stepBudget) {
    this.model = model;
    this.operations = operations;
    this.stepBudget = stepBudget;
    this.isolatedWrite = model.isolatedWrites();
    SplittableRandom random = new SplittableRandom(ZOBRIST_SEED);
    zobristLow = random.longs(operations.size()).toArray();
    zobristHigh = random.longs(operations.size()).toArray();
    next = new int[2 * operations.size()];
    previous = new int[2 * operations.size()];
    link(sortedEntries());
  }

  private List<Integer> sortedEntries() {
    List<Integer> entries = new ArrayList<>();
    for (int i = 0; i < operations.size(); i++) {
      entries.add(2 * i);
      if (!operations.get(i).isTimedOut()) entries.add(2 * i + 1);
    }
    entries.sort(
        Comparator.comparingLong(this::time)
            .thenComparingInt(entry -> entry & 1) // calls before responses at equal times
            .thenComparingInt(entry -> entry));
    return entries;
  }

  private long time(int entry) {
    Operation operation = operations.get(entry >> 1);
    return (entry & 1) == 0 ? operation.invokeTime() : operation.responseTime();
  }

  private void link(List<Integer> entries) {
    Arrays.fill(next, HEAD);
    Arrays.fill(previous, HEAD);
    int last = HEAD;
    for (int entry : entries) {
      setNext(last, entry);
      previous[entry] = last;
      last = entry;
    }
    setNext(last, HEAD);
  }

  private void setNext(int entry, int value) {
    if (entry == HEAD) {
      headNext = value;
    } else {
      next[entry] = value;
    }
  }

  /** Removes an operation's call and response (if any) from the list. */
  private void lift(int call) {
    unlink(call);
    if (!operations.get(call >> 1).isTimedOut()) unlink(call + 1);
  }

  /** Undoes {@link #lift}: removals are undone in reverse order, so the links are still valid. */
  private void unlift(int call) {
    if (!operations.get(call >> 1).isTimedOut()) relink(call + 1);
    relink(call);
  }

  private void unlink(int entry) {
    setNext(previous[entry], next[entry]);
    if (next[entry] != HEAD) previous[next[entry]] = previous[entry];
  }

  private void relink(int entry) {
    setNext(previous[entry], entry);
    if (next[entry] != HEAD) previous[next[entry]] = entry;
  }

  /**
   * Runs the search. A node is a point with some operations linearized; a fresh node first looks
   * for a forced candidate, and otherwise walks the candidates (the calls before the first
   * response) in time order. (Trying timed-out operations after the completed ones was measured
   * slower: a wrong early choice then shows only deep in the search.)
   */
  Result run() {
    int count = operations.size();
    callStack = new int[count];
    stateStack = new KvModel.State[count];
    forcedStack = new boolean[count];
    for (Operation operation : operations) remaining += operation.isTimedOut() ? 0 : 1;
    state = model.initial();
    blockedState = state;
    long steps = 0;
    boolean fresh = true;
    int entry = HEAD;
    while (remaining > 0) {
      if (++steps > stepBudget) return new Result(Outcome.BUDGET_EXCEEDED, steps, null, -1, null);
      if (fresh) {
        fresh = false;
        int forced = forcedCandidate();
        if (forced == HEAD) {
          entry = headNext;
        } else if (push(forced, forcedState, true)) {
          fresh = true;
        } else {
          entry = backtrack(); // seen before, so this node has no completion
        }
      } else if ((entry & 1) == 1) {
        noteDeepest(entry >> 1); // the response of an operation not linearized in time
        entry = backtrack();
      } else if (isForcible(entry >> 1)) {
        entry = next[entry]; // its step failed in forcedCandidate, and the state is the same
      } else {
        KvModel.State after = model.step(state, entry >> 1);
        fresh = after != null && push(entry, after, false);
        if (!fresh) entry = next[entry];
      }
      if (entry == FAILED) {
        return new Result(Outcome.NOT_LINEARIZABLE, steps, longestPrefix, blocked, blockedState);
      }
      assert fresh || entry != HEAD : "a response stays in the list while an operation remains";
    }
    return new Result(Outcome.LINEARIZABLE, steps, null, -1, null);
  }

  /**
   * A candidate (a call before the first response) that can be linearized first without loss, or
   * HEAD; its state after is left in {@link #forcedState}. Linearizing it now is safe when some
   * order linearizes the rest only if one starting with it does; then the node's outcome is its
   * outcome and the search need not try the other candidates here. Two kinds qualify:
   *
   * <ul>
   *   <li>A completed Get or Scan whose result matches the current state: it changes nothing, and
   *       no remaining operation must precede it in real time (none responded before it was
   *       invoked, or it would not be a candidate).
   *   <li>A completed Put or Delete whose result matches the current state, when no other operation
   *       on its key overlaps it in time ({@link KvModel#isolatedWrites}): the operations an order
   *       puts before it do not touch its key, so it can move to the front.
   * </ul>
   */
  private int forcedCandidate() {
    for (int entry = headNext; entry != HEAD && (entry & 1) == 0; entry = next[entry]) {
      if (isForcible(entry >> 1)) {
        KvModel.State after = model.step(state, entry >> 1);
        if (after != null) {
          forcedState = after;
          return entry;
        }
      }
    }
    return HEAD;
  }

  private boolean isForcible(int operation) {
    Operation op = operations.get(operation);
    return !op.isTimedOut() && (op.isReadOnly() || isolatedWrite[operation]);
  }

  /** Linearizes the operation of {@code call} leading to {@code after}, unless seen before. */
  private boolean push(int call, KvModel.State after, boolean forced) {
    int operation = call >> 1;
    long low = linearizedLow ^ zobristLow[operation];
    long high = linearizedHigh ^ zobristHigh[operation];
    if (!seen.add(new Configuration(low, high, after))) return false;
    linearizedLow = low;
    linearizedHigh = high;
    callStack[depth] = call;
    stateStack[depth] = state;
    forcedStack[depth++] = forced;
    state = after;
    lift(call);
    if (!operations.get(operation).isTimedOut()) remaining--;
    return true;
  }

  /**
   * Undoes linearizations until a node with candidates left: returns the entry to try next there,
   * or FAILED. A node that chose a forced candidate has no other candidate worth trying.
   */
  private int backtrack() {
    while (depth > 0) {
      int call = callStack[--depth];
      state = stateStack[depth];
      linearizedLow ^= zobristLow[call >> 1];
      linearizedHigh ^= zobristHigh[call >> 1];
      unlift(call);
      if (!operations.get(call >> 1).isTimedOut()) remaining++;
      if (!forcedStack[depth]) return next[call];
    }
    return FAILED;
  }

  private void noteDeepest(int operation) {
    if (blocked >= 0 && depth <= longestPrefix.length) return;
    longestPrefix = new int[depth];
    for (int i = 0; i < depth; i++) longestPrefix[i] = callStack[i] >> 1;
    blocked = operation;
    blockedState = state;
  }
}
