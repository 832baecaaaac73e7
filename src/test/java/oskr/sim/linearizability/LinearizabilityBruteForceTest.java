package oskr.sim.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvResult.Pair;
import oskr.app.KvStore;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.sim.linearizability.Verdict.Outcome;

/**
 * The checker against the definition: on small random histories (three in four with one result
 * corrupted), an exhaustive search over all orders of all subsets of timed-out operations, with
 * {@link KvStore} as the sequential model, must reach the same verdict. This covers the parts the
 * definition does not name: partitioning, forced candidates, dropped timed-out operations.
 */
class LinearizabilityBruteForceTest {
  private static final String[] KEYS = {"a", "b", "c"};
  private static final String[] VALUES = {"1", "2", "3"};

  @Test
  void agreesWithExhaustiveSearch() throws MalformedMessage {
    LinearizabilityChecker checker = new LinearizabilityChecker();
    int linearizable = 0;
    int histories = 2_000;
    for (int seed = 0; seed < histories; seed++) {
      Random random = new Random(seed);
      List<Operation> history = randomHistory(random, 2 + random.nextInt(6));
      if (seed % 4 != 0) corruptOne(random, history);
      boolean expected = new Exhaustive(history).linearizable();
      Verdict verdict = checker.check(history);
      assertThat(verdict.outcome())
          .as("seed %d: %s%n%s", seed, history, verdict)
          .isEqualTo(expected ? Outcome.LINEARIZABLE : Outcome.NOT_LINEARIZABLE);
      if (expected) linearizable++;
    }
    assertThat(linearizable).isBetween(histories / 3, histories * 3 / 4);
  }

  private static Bytes pick(Random random, String[] choices) {
    return Bytes.utf8(choices[random.nextInt(choices.length)]);
  }

  private static KvOp randomOp(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> new KvOp.Get(pick(random, KEYS));
      case 1 -> new KvOp.Put(pick(random, KEYS), pick(random, VALUES));
      case 2 -> new KvOp.Delete(pick(random, KEYS));
      default -> new KvOp.Scan(pick(random, KEYS), pick(random, KEYS), 1 + random.nextInt(3));
    };
  }

  /** Operations applied at random points of their intervals: linearizable. */
  private static List<Operation> randomHistory(Random random, int size) {
    record Planned(long invoke, long response, long point, KvOp op, int fate) {}
    List<Planned> plans = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      long invoke = random.nextInt(40);
      long response = invoke + random.nextInt(20);
      long point = invoke + random.nextLong(response - invoke + 1);
      plans.add(new Planned(invoke, response, point, randomOp(random), random.nextInt(10)));
    }
    List<Planned> byPoint = new ArrayList<>(plans);
    byPoint.sort(Comparator.comparingLong(Planned::point));
    KvStore store = new KvStore();
    List<KvResult> results = new ArrayList<>(java.util.Collections.nCopies(size, null));
    for (Planned plan : byPoint) {
      if (plan.fate() != 0) results.set(plans.indexOf(plan), store.apply(plan.op()));
    }
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Planned plan = plans.get(i);
      if (plan.fate() <= 1) { // 0: lost before the store, 1: applied but the reply was lost
        history.add(Operation.timedOut(i, plan.invoke(), plan.op()));
      } else {
        history.add(
            Operation.completed(i, plan.invoke(), plan.response(), plan.op(), results.get(i)));
      }
    }
    return history;
  }

  private static void corruptOne(Random random, List<Operation> history) {
    List<Integer> completed = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) if (!history.get(i).isTimedOut()) completed.add(i);
    if (completed.isEmpty()) return;
    int target = completed.get(random.nextInt(completed.size()));
    Operation operation = history.get(target);
    KvResult result =
        switch (operation.op()) {
          case KvOp.Get _ ->
              random.nextBoolean()
                  ? KvResult.GetResult.absent()
                  : KvResult.GetResult.of(pick(random, VALUES));
          case KvOp.Put _ ->
              random.nextBoolean()
                  ? KvResult.PutResult.inserted()
                  : KvResult.PutResult.replacing(pick(random, VALUES));
          case KvOp.Delete _ -> new KvResult.DeleteResult(random.nextBoolean());
          case KvOp.Scan scan -> randomScanResult(random, scan);
        };
    history.set(
        target,
        Operation.completed(
            operation.client(),
            operation.invokeTime(),
            operation.responseTime(),
            operation.op(),
            result));
  }

  private static KvResult randomScanResult(Random random, KvOp.Scan scan) {
    List<Pair> pairs = new ArrayList<>();
    for (String key : KEYS) {
      Bytes bytes = Bytes.utf8(key);
      if (pairs.size() < scan.limit() && scan.covers(bytes) && random.nextBoolean()) {
        pairs.add(new Pair(bytes, pick(random, VALUES)));
      }
    }
    return new KvResult.ScanResult(pairs, false);
  }

  /** Tries every order of every subset of the timed-out operations that respects real time. */
  private static final class Exhaustive {
    private final List<Operation> history;
    private final boolean[] used;

    Exhaustive(List<Operation> history) {
      this.history = history;
      this.used = new boolean[history.size()];
    }

    boolean linearizable() throws MalformedMessage {
      return extend(new KvStore());
    }

    private boolean extend(KvStore store) throws MalformedMessage {
      boolean allCompletedUsed = true;
      for (int i = 0; i < history.size(); i++) {
        if (!used[i] && !history.get(i).isTimedOut()) allCompletedUsed = false;
      }
      if (allCompletedUsed) return true;
      for (int i = 0; i < history.size(); i++) {
        if (used[i] || !isMinimal(i)) continue;
        Operation operation = history.get(i);
        KvStore next = KvStore.restore(oskr.app.SnapshotBytes.of(store.snapshot()));
        KvResult result = next.apply(operation.op());
        if (!operation.isTimedOut() && !result.equals(operation.result())) continue;
        used[i] = true;
        boolean found = extend(next);
        used[i] = false;
        if (found) return true;
      }
      return false;
    }

    /** No unused operation responded before this one was invoked. */
    private boolean isMinimal(int candidate) {
      for (int j = 0; j < history.size(); j++) {
        if (!used[j] && history.get(j).responseTime() < history.get(candidate).invokeTime()) {
          return false;
        }
      }
      return true;
    }
  }
}
