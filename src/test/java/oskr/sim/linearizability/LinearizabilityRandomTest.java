package oskr.sim.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvResult.Pair;
import oskr.app.KvStore;
import oskr.core.Bytes;
import oskr.sim.linearizability.Verdict.Outcome;

/**
 * Seeded random histories: operations run one at a time on a real {@link KvStore} (so the checker's
 * model is cross-checked against the store), each at its own linearization point, then their
 * intervals are stretched around that point. Any stretch keeps the real-time order valid, so every
 * such history is linearizable; a read whose result is then mutated is not.
 */
class LinearizabilityRandomTest {
  private static final int SEEDS = 60;
  private static final long SPACING = 100;
  private static final Bytes BOGUS = Bytes.utf8("never written");

  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private static Bytes key(Random random) {
    return Bytes.utf8(String.valueOf((char) ('a' + random.nextInt(6))));
  }

  private static KvOp randomOp(Random random, int index) {
    int kind = random.nextInt(100);
    if (kind < 35) return new KvOp.Get(key(random));
    if (kind < 65) return new KvOp.Put(key(random), Bytes.utf8("v" + index));
    if (kind < 75) return new KvOp.Delete(key(random));
    Bytes from = key(random);
    int limit = 1 + random.nextInt(4);
    if (random.nextInt(4) == 0) return KvOp.Scan.toEnd(from, limit);
    return new KvOp.Scan(from, key(random), limit);
  }

  /** A history of {@code size} operations from one seed; see the class comment. */
  private static List<Operation> randomHistory(Random random, int size) {
    KvStore store = new KvStore();
    List<Operation> history = new ArrayList<>();
    long maxStretch = SPACING * (1 + random.nextInt(5));
    for (int i = 0; i < size; i++) {
      long point = SPACING * (i + 1) + maxStretch;
      long invoke = point - random.nextLong(maxStretch + 1);
      long response = point + random.nextLong(maxStretch + 1);
      int client = random.nextInt(8);
      KvOp op = randomOp(random, i);
      int fate = random.nextInt(100);
      if (fate < 5 && !(op instanceof KvOp.Get)) {
        // Lost before the store: timed out and never took effect.
        history.add(Operation.timedOut(client, invoke, op));
        continue;
      }
      KvResult result = store.apply(op);
      if (fate < 12) {
        history.add(Operation.timedOut(client, invoke, op)); // took effect, reply lost
      } else {
        history.add(Operation.completed(client, invoke, response, op, result));
      }
    }
    return history;
  }

  @Test
  void stretchedSequentialHistoriesAreLinearizable() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<Operation> history = randomHistory(random, 20 + random.nextInt(60));
      Verdict verdict = checker.check(history);
      assertThat(verdict.outcome())
          .as("seed %d: %s", seed, verdict)
          .isEqualTo(Outcome.LINEARIZABLE);
    }
  }

  @Test
  void aReadOfAValueNeverWrittenIsCaught() {
    int mutated = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(1_000 + seed);
      List<Operation> history = randomHistory(random, 20 + random.nextInt(60));
      int target = pickRead(random, history);
      if (target < 0) continue;
      history.set(target, withBogusValue(history.get(target)));
      mutated++;
      Verdict verdict = checker.check(history);
      assertThat(verdict.outcome())
          .as("seed %d, mutated #%d: %s", seed, target, verdict)
          .isEqualTo(Outcome.NOT_LINEARIZABLE);
      assertThat(verdict.report()).contains("#");
    }
    assertThat(mutated).isGreaterThan(SEEDS / 2);
  }

  /**
   * A Get returning the value that a Put, completed before the Get was invoked, had replaced: every
   * value is written once, so the key no longer holds it.
   */
  @Test
  void aStaleReadIsCaught() {
    int mutated = 0;
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(2_000 + seed);
      List<Operation> history = randomHistory(random, 20 + random.nextInt(60));
      if (!makeStale(history)) continue;
      mutated++;
      Verdict verdict = checker.check(history);
      assertThat(verdict.outcome())
          .as("seed %d: %s", seed, verdict)
          .isEqualTo(Outcome.NOT_LINEARIZABLE);
    }
    assertThat(mutated).isGreaterThan(SEEDS / 4);
  }

  /**
   * Closed-loop clients as in a simulation: each waits for its reply or gives up after a timeout; a
   * given-up operation takes effect later than its reply would have, or never. Such histories must
   * be decided well within the default budget.
   */
  @Test
  void simulationLikeHistoriesAreDecidedWithinTheBudget() {
    for (int seed = 0; seed < 4; seed++) {
      Random random = new Random(3_000 + seed);
      List<Operation> history = closedLoopHistory(random, 5, 1_500);
      Verdict verdict = checker.check(history);
      assertThat(verdict.outcome())
          .as("seed %d: %s", seed, verdict)
          .isEqualTo(Outcome.LINEARIZABLE);
      assertThat(verdict.steps()).isLessThan(LinearizabilityChecker.DEFAULT_STEP_BUDGET / 4);
    }
  }

  private static List<Operation> closedLoopHistory(Random random, int clients, int size) {
    record Planned(int client, long invoke, long response, long point, KvOp op, int fate) {}
    List<Planned> plans = new ArrayList<>();
    long[] clientClock = new long[clients];
    for (int i = 0; i < size; i++) {
      int client = random.nextInt(clients);
      long invoke = clientClock[client] + random.nextInt(50);
      long latency = 10 + random.nextInt(200);
      int fate = random.nextInt(100); // below 1: lost, below 2: applied late, reply lost
      long point = invoke + random.nextLong((fate < 2 ? 3 : 1) * latency + 1);
      clientClock[client] = invoke + latency;
      plans.add(new Planned(client, invoke, invoke + latency, point, randomOp(random, i), fate));
    }
    List<Planned> byPoint = new ArrayList<>(plans);
    byPoint.sort(java.util.Comparator.comparingLong(Planned::point));
    java.util.Map<Planned, KvResult> results = new java.util.IdentityHashMap<>();
    KvStore store = new KvStore();
    for (Planned plan : byPoint) if (plan.fate() >= 1) results.put(plan, store.apply(plan.op()));
    List<Operation> history = new ArrayList<>();
    for (Planned plan : plans) {
      history.add(
          plan.fate() < 2
              ? Operation.timedOut(plan.client(), plan.invoke(), plan.op())
              : Operation.completed(
                  plan.client(), plan.invoke(), plan.response(), plan.op(), results.get(plan)));
    }
    return history;
  }

  /** A completed Get, or a completed Scan that returned pairs; -1 if there is none. */
  private static int pickRead(Random random, List<Operation> history) {
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      Operation operation = history.get(i);
      if (operation.isTimedOut()) continue;
      if (operation.op() instanceof KvOp.Get
          || operation.result() instanceof KvResult.ScanResult scan && !scan.pairs().isEmpty()) {
        reads.add(i);
      }
    }
    return reads.isEmpty() ? -1 : reads.get(random.nextInt(reads.size()));
  }

  private static Operation withBogusValue(Operation read) {
    KvResult result;
    if (read.result() instanceof KvResult.ScanResult scan) {
      List<Pair> pairs = new ArrayList<>(scan.pairs());
      pairs.set(0, new Pair(pairs.get(0).key(), BOGUS));
      result = new KvResult.ScanResult(pairs, scan.truncated());
    } else {
      result = KvResult.GetResult.of(BOGUS);
    }
    return Operation.completed(
        read.client(), read.invokeTime(), read.responseTime(), read.op(), result);
  }

  private static boolean makeStale(List<Operation> history) {
    for (int g = history.size() - 1; g >= 0; g--) {
      Operation read = history.get(g);
      if (read.isTimedOut() || !(read.op() instanceof KvOp.Get get)) continue;
      for (Operation write : history) {
        if (write.isTimedOut()
            || !(write.op() instanceof KvOp.Put put)
            || !put.key().equals(get.key())
            || write.responseTime() >= read.invokeTime()
            || !(write.result() instanceof KvResult.PutResult replaced && replaced.replaced())
            || read.result().equals(KvResult.GetResult.of(replaced.previous()))) {
          continue;
        }
        KvResult stale = KvResult.GetResult.of(replaced.previous());
        history.set(
            g,
            Operation.completed(
                read.client(), read.invokeTime(), read.responseTime(), read.op(), stale));
        return true;
      }
    }
    return false;
  }
}
