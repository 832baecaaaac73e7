package oskr.sim.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static oskr.sim.linearizability.Histories.delete;
import static oskr.sim.linearizability.Histories.get;
import static oskr.sim.linearizability.Histories.put;
import static oskr.sim.linearizability.Histories.putTimedOut;
import static oskr.sim.linearizability.Histories.scan;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.sim.linearizability.Verdict.Outcome;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private Outcome outcome(Operation... history) {
    return checker.check(List.of(history)).outcome();
  }

  // Known linearizable histories.

  @Test
  void sequentialHistoryIsLinearizable() {
    assertThat(
            outcome(
                put(1, 0, 10, "a", "1", null),
                get(2, 20, 30, "a", "1"),
                put(1, 40, 50, "a", "2", "1"),
                scan(2, 55, 58, "a", "z", 10, "a", "2"),
                delete(2, 60, 70, "a", true),
                get(1, 80, 90, "a", null),
                delete(1, 95, 99, "a", false),
                scan(2, 100, 110, "a", "z", 10)))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void concurrentWritesMayTakeEffectInEitherOrder() {
    assertThat(
            outcome(
                put(1, 0, 100, "a", "1", null),
                put(2, 10, 90, "a", "2", "1"),
                get(3, 200, 210, "a", "2")))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(
            outcome(
                put(1, 0, 100, "a", "1", "2"),
                put(2, 10, 90, "a", "2", null),
                get(3, 200, 210, "a", "1")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void readsConcurrentWithAWriteSeeOldOrNewValue() {
    assertThat(
            outcome(
                put(1, 0, 10, "a", "1", null),
                put(1, 20, 100, "a", "2", "1"),
                get(2, 30, 40, "a", "1"),
                get(3, 30, 45, "a", "2"),
                get(2, 50, 60, "a", "2"),
                get(4, 25, 200, "a", "1")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void touchingIntervalsAreConcurrent() {
    assertThat(outcome(put(1, 0, 10, "a", "1", null), get(2, 10, 20, "a", null)))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(outcome(put(1, 0, 10, "a", "1", null), get(2, 11, 20, "a", null)))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void scanLimitAndRangeFollowTheSpec() {
    Operation[] writes = {
      put(1, 0, 1, "a", "1", null), put(1, 2, 3, "b", "2", null), put(1, 4, 5, "c", "3", null)
    };
    assertThat(
            outcome(
                writes[0], writes[1], writes[2], scan(2, 10, 11, "a", "z", 2, "a", "1", "b", "2")))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(
            outcome(
                writes[0], writes[1], writes[2], scan(2, 10, 11, "a", "z", 2, "a", "1", "c", "3")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
    assertThat(outcome(writes[0], writes[1], writes[2], scan(2, 10, 11, "b", "c", 5, "b", "2")))
        .isEqualTo(Outcome.LINEARIZABLE);
    Operation unbounded =
        Operation.completed(
            2,
            10,
            11,
            KvOp.Scan.toEnd(Histories.b("b"), 5),
            new KvResult.ScanResult(
                List.of(
                    new KvResult.Pair(Histories.b("b"), Histories.b("2")),
                    new KvResult.Pair(Histories.b("c"), Histories.b("3"))),
                false));
    assertThat(outcome(writes[0], writes[1], writes[2], unbounded)).isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void scanOfKeysNeverWrittenSeesThemAbsent() {
    assertThat(outcome(scan(1, 0, 10, "a", "z", 10))).isEqualTo(Outcome.LINEARIZABLE);
    assertThat(outcome(put(1, 0, 10, "q", "1", null), scan(2, 20, 30, "x", "z", 10, "y", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  // Known non-linearizable histories.

  @Test
  void staleReadAfterCompletedWriteIsNotLinearizable() {
    Verdict verdict =
        checker.check(
            List.of(
                put(1, 0, 10, "a", "1", null),
                put(1, 20, 30, "a", "2", "1"),
                get(2, 40, 50, "a", "1")));
    assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    assertThat(verdict.report())
        .contains("partition 1 of 1 (keys \"a\"; 3 operations)")
        .contains("#2 client 2 [40, 50] Get(\"a\") -> found \"1\"")
        .contains("#0, #1");
  }

  @Test
  void newValueThenOldValueIsNotLinearizable() {
    assertThat(
            outcome(
                put(1, 0, 10, "a", "1", null),
                put(1, 20, 100, "a", "2", "1"),
                get(2, 30, 40, "a", "2"),
                get(3, 50, 60, "a", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void readsObservingOppositeOrdersOfTwoWritesAreNotLinearizable() {
    assertThat(
            outcome(
                putTimedOut(1, 0, "a", "1"),
                putTimedOut(2, 0, "a", "2"),
                get(3, 10, 20, "a", "1"),
                get(3, 30, 40, "a", "2"),
                get(4, 10, 20, "a", "2"),
                get(4, 30, 40, "a", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
    assertThat(
            outcome(
                put(1, 0, 100, "a", "1", null),
                put(2, 0, 100, "a", "2", "1"),
                get(3, 10, 20, "a", "1"),
                get(3, 30, 40, "a", "2"),
                get(4, 10, 20, "a", "2"),
                get(4, 30, 40, "a", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void scanMissingAnOlderCompletedWriteFailsOnlyAcrossKeys() {
    Verdict verdict =
        checker.check(
            List.of(
                put(1, 0, 10, "a", "1", null),
                put(2, 20, 30, "b", "1", null),
                scan(3, 5, 40, "a", "c", 10, "b", "1")));
    assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    assertThat(verdict.report()).contains("keys \"a\", \"b\"");
    // Each key alone, with the scan as a read of that key, is linearizable.
    assertThat(outcome(put(1, 0, 10, "a", "1", null), get(3, 5, 40, "a", null)))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(outcome(put(2, 20, 30, "b", "1", null), get(3, 5, 40, "b", "1")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void scansObservingOppositeOrdersAcrossKeysAreNotLinearizable() {
    assertThat(
            outcome(
                put(1, 0, 100, "a", "1", null),
                put(2, 0, 100, "b", "1", null),
                scan(3, 10, 20, "a", "c", 10, "a", "1"),
                scan(4, 10, 20, "a", "c", 10, "b", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutWriteSeenThenUnseenIsNotLinearizable() {
    assertThat(
            outcome(
                putTimedOut(1, 0, "a", "1"), get(2, 10, 20, "a", "1"), get(2, 30, 40, "a", null)))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutWriteCannotTakeEffectBeforeItsInvocation() {
    assertThat(outcome(get(2, 0, 10, "a", "1"), putTimedOut(1, 20, "a", "1")))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void badOpAnswerToAValidOpIsNotLinearizable() {
    Operation badAnswer =
        Operation.completed(1, 0, 10, new KvOp.Get(Histories.b("a")), new KvResult.BadOp());
    assertThat(outcome(badAnswer)).isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  // Timed-out operations.

  @Test
  void readMayObserveATimedOutWrite() {
    assertThat(outcome(putTimedOut(1, 0, "a", "1"), get(2, 10, 20, "a", "1")))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(
            outcome(
                putTimedOut(1, 0, "a", "1"),
                get(2, 10, 20, "a", null),
                get(2, 1_000, 1_010, "a", "1")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void timedOutWriteMayNeverTakeEffect() {
    assertThat(
            outcome(
                putTimedOut(1, 0, "a", "1"),
                get(2, 10, 20, "a", null),
                put(2, 30, 40, "a", "2", null),
                get(2, 1_000, 1_010, "a", "2")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void timedOutDeleteMayBeSeenOnlyByAScan() {
    assertThat(
            outcome(
                put(1, 0, 10, "a", "1", null),
                Operation.timedOut(1, 20, new KvOp.Delete(Histories.b("a"))),
                scan(2, 30, 40, "a", "c", 10)))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(
            outcome(
                put(1, 0, 10, "a", "1", null),
                put(1, 0, 10, "b", "2", null),
                Operation.timedOut(1, 20, new KvOp.Delete(Histories.b("a"))),
                scan(2, 30, 40, "", "c", 1, "b", "2")))
        .isEqualTo(Outcome.LINEARIZABLE);
  }

  @Test
  void timedOutPutMayBeSeenOnlyByADelete() {
    assertThat(
            outcome(
                Operation.timedOut(1, 0, new KvOp.Put(Histories.b("a"), Histories.b("1"))),
                delete(2, 10, 20, "a", true)))
        .isEqualTo(Outcome.LINEARIZABLE);
    assertThat(
            outcome(
                delete(2, 10, 20, "a", true),
                Operation.timedOut(1, 30, new KvOp.Put(Histories.b("a"), Histories.b("1")))))
        .isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void timedOutReadsAndPutAnsweredStoreFullConstrainNothing() {
    Operation full =
        Operation.completed(
            1, 0, 10, new KvOp.Put(Histories.b("a"), Histories.b("1")), new KvResult.StoreFull());
    Operation lostRead = Operation.timedOut(2, 5, new KvOp.Get(Histories.b("a")));
    assertThat(outcome(full, lostRead, get(2, 20, 30, "a", null))).isEqualTo(Outcome.LINEARIZABLE);
  }

  // Partitions and the budget.

  @Test
  void keysPartitionUnlessAScanJoinsThem() {
    List<Operation> pointOnly =
        List.of(
            put(1, 0, 10, "a", "1", null),
            put(1, 0, 10, "b", "1", null),
            put(1, 0, 10, "c", "1", null));
    assertThat(checker.check(pointOnly).partitions()).isEqualTo(3);
    List<Operation> withScan = new ArrayList<>(pointOnly);
    withScan.add(scan(2, 20, 30, "a", "c", 10, "a", "1", "b", "1"));
    assertThat(checker.check(withScan).partitions()).isEqualTo(2);
    withScan.add(scan(2, 40, 50, "x", "z", 10));
    assertThat(checker.check(withScan).partitions()).isEqualTo(3);
    withScan.add(
        Operation.completed(
            3,
            40,
            50,
            KvOp.Scan.toEnd(Histories.b(""), 1),
            new KvResult.ScanResult(
                List.of(new KvResult.Pair(Histories.b("a"), Histories.b("1"))), false)));
    assertThat(checker.check(withScan).isLinearizable()).isTrue();
    assertThat(checker.check(withScan).partitions()).isEqualTo(2);
  }

  /**
   * Twelve concurrent timed-out writes, each value seen by a concurrent read, then two later
   * concurrent reads that disagree although no write can come between them: refuting it means
   * trying the orders of the writes (thousands of configurations even with memoization).
   */
  private static List<Operation> manyPendingWrites(String key) {
    List<Operation> history = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      history.add(putTimedOut(i, 0, key, "v" + i));
      history.add(get(20 + i, 10, 20, key, "v" + i));
    }
    history.add(get(40, 30, 40, key, "v0"));
    history.add(get(41, 30, 40, key, "v1"));
    return history;
  }

  @Test
  void exhaustedBudgetIsUnknownNotAPass() {
    Verdict verdict = new LinearizabilityChecker(1_000).check(manyPendingWrites("a"));
    assertThat(verdict.outcome()).isEqualTo(Outcome.UNKNOWN);
    assertThat(verdict.isLinearizable()).isFalse();
    assertThat(verdict.report()).contains("exceeded its budget of 1000 steps");
    assertThat(checker.check(manyPendingWrites("a")).outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
  }

  @Test
  void aFailingPartitionOutweighsAnUnknownOne() {
    List<Operation> history = new ArrayList<>(manyPendingWrites("a"));
    history.add(put(1, 0, 10, "z", "1", null));
    history.add(get(2, 20, 30, "z", null));
    Verdict verdict = new LinearizabilityChecker(1_000).check(history);
    assertThat(verdict.outcome()).isEqualTo(Outcome.NOT_LINEARIZABLE);
    assertThat(verdict.report()).contains("keys \"z\"");
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertThat(checker.check(List.of()).outcome()).isEqualTo(Outcome.LINEARIZABLE);
  }
}
