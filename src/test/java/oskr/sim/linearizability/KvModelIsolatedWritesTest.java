package oskr.sim.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;

/**
 * {@link KvModel#isolatedWrites} (a sort per key) against the definition checked pair by pair, on
 * seeded random histories with overlapping, disjoint, equal-time and timed-out operations and
 * scans. Results are not consulted, so every operation answers as on an empty store.
 */
class KvModelIsolatedWritesTest {
  @Test
  void theSortedSweepFindsExactlyTheWritesNoOtherOperationOnTheirKeyOverlaps() {
    int isolatedSeen = 0;
    int overlappedSeen = 0;
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      List<Operation> history = randomHistory(random, 1 + random.nextInt(60));
      for (Partitioner.Partition partition : Partitioner.partition(history)) {
        List<Operation> operations = new ArrayList<>();
        for (int index : partition.operations()) operations.add(history.get(index));
        KvModel model = new KvModel(partition.keys(), operations);
        boolean[] expected = pairByPair(partition.keys(), operations);
        assertThat(model.isolatedWrites()).as("seed %d", seed).isEqualTo(expected);
        for (int i = 0; i < expected.length; i++) {
          if (expected[i]) isolatedSeen++;
          else if (operations.get(i).op() instanceof KvOp.Put) overlappedSeen++;
        }
      }
    }
    assertThat(isolatedSeen).as("isolated writes in the sample").isGreaterThan(100);
    assertThat(overlappedSeen).as("overlapped writes in the sample").isGreaterThan(100);
  }

  /** The definition: a completed write and every other operation on its key, pair by pair. */
  private static boolean[] pairByPair(Bytes[] keys, List<Operation> operations) {
    boolean[] isolated = new boolean[operations.size()];
    for (int w = 0; w < operations.size(); w++) {
      Operation write = operations.get(w);
      if (write.isTimedOut() || write.isReadOnly()) continue;
      Bytes key = Partitioner.pointKey(write.op());
      boolean alone = true;
      for (int o = 0; o < operations.size() && alone; o++) {
        Operation other = operations.get(o);
        if (o == w || !touches(keys, other.op(), key)) continue;
        alone =
            other.invokeTime() > write.responseTime() || other.responseTime() < write.invokeTime();
      }
      isolated[w] = alone;
    }
    return isolated;
  }

  private static boolean touches(Bytes[] keys, KvOp op, Bytes key) {
    if (!(op instanceof KvOp.Scan scan)) return Partitioner.pointKey(op).equals(key);
    int from = Partitioner.lowerBound(keys, scan.fromKey());
    int to = Partitioner.rangeEnd(keys, scan, from);
    for (int k = from; k < to; k++) if (keys[k].equals(key)) return true;
    return false;
  }

  private static List<Operation> randomHistory(Random random, int size) {
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      long invoke = 10L * random.nextInt(40);
      KvOp op = randomOp(random, i);
      if (random.nextInt(20) == 0 && !(op instanceof KvOp.Get)) {
        history.add(Operation.timedOut(random.nextInt(4), invoke, op));
        continue;
      }
      long response = invoke + 10L * random.nextInt(random.nextBoolean() ? 2 : 8);
      history.add(Operation.completed(random.nextInt(4), invoke, response, op, result(op)));
    }
    return history;
  }

  private static KvOp randomOp(Random random, int index) {
    Bytes key = Bytes.utf8(String.valueOf((char) ('a' + random.nextInt(5))));
    return switch (random.nextInt(4)) {
      case 0 -> new KvOp.Get(key);
      case 1 -> new KvOp.Put(key, Bytes.utf8("v" + index));
      case 2 -> new KvOp.Delete(key);
      default ->
          new KvOp.Scan(key, Bytes.utf8(String.valueOf((char) ('a' + random.nextInt(5)))), 3);
    };
  }

  private static KvResult result(KvOp op) {
    return switch (op) {
      case KvOp.Get g -> KvResult.GetResult.absent();
      case KvOp.Put p -> new KvResult.PutResult(false, Bytes.EMPTY);
      case KvOp.Delete d -> new KvResult.DeleteResult(false);
      case KvOp.Scan s -> new KvResult.ScanResult(List.of(), false);
    };
  }
}
