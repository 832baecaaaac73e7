package oskr.sim.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvStore;
import oskr.core.Bytes;

class HistoryRecorderTest {
  private static final Bytes KEY = Bytes.utf8("k");

  @Test
  void recordsCompletedAndTimedOutOperations() {
    KvStore store = new KvStore();
    HistoryRecorder recorder = new HistoryRecorder();
    KvOp put = new KvOp.Put(KEY, Bytes.utf8("1"));
    int first = recorder.invoke(1, 100, put);
    int second = recorder.invoke(2, 150, new KvOp.Get(KEY));
    recorder.complete(first, 200, store.execute(1, put.encode()));
    List<Operation> history = recorder.history();
    assertThat(history)
        .containsExactly(
            Operation.completed(1, 100, 200, put, KvResult.PutResult.inserted()),
            Operation.timedOut(2, 150, new KvOp.Get(KEY)));
    assertThat(history.get(second).isTimedOut()).isTrue();
    assertThat(recorder.problems()).isEmpty();
    assertThat(new LinearizabilityChecker().check(history).isLinearizable()).isTrue();
  }

  @Test
  void undecodableOrMismatchedResultsAreProblemsAndLeaveTheOperationTimedOut() {
    HistoryRecorder recorder = new HistoryRecorder();
    int garbled = recorder.invoke(1, 0, new KvOp.Get(KEY));
    int mismatched = recorder.invoke(2, 0, new KvOp.Get(KEY));
    recorder.complete(garbled, 10, Bytes.copyOf(new byte[] {42}));
    recorder.complete(mismatched, 10, new KvResult.DeleteResult(true).encode());
    assertThat(recorder.problems()).hasSize(2);
    assertThat(recorder.problems().get(0)).contains("operation 0", "client 1", "KvResult.tag");
    assertThat(recorder.problems().get(1)).contains("KvResult.kind");
    assertThat(recorder.history()).allMatch(Operation::isTimedOut);
  }

  @Test
  void completingTwiceIsABugInTheCaller() {
    HistoryRecorder recorder = new HistoryRecorder();
    int handle = recorder.invoke(1, 0, new KvOp.Get(KEY));
    recorder.complete(handle, 5, KvResult.GetResult.absent());
    assertThatThrownBy(() -> recorder.complete(handle, 6, KvResult.GetResult.absent()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void operationsCheckTheirTimes() {
    KvOp get = new KvOp.Get(KEY);
    assertThatThrownBy(() -> Operation.completed(1, 10, 5, get, KvResult.GetResult.absent()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Operation(1, 10, Operation.NEVER, get, KvResult.GetResult.absent()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Operation(1, 10, 20, get, null))
        .isInstanceOf(NullPointerException.class);
  }
}
