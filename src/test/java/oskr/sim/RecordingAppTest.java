package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.app.KvOp;
import oskr.app.KvStore;
import oskr.core.Bytes;

/**
 * The agreement and exactly-once checks see what a protocol says is committed: a tentative
 * execution is recorded when committed, never when rolled back.
 */
class RecordingAppTest {
  private final List<Execution> executions = new ArrayList<>();
  private final RecordingApp app =
      new RecordingApp(new KvStore(), 0, 0, new Scheduler(1_000, 1_000), executions);

  private static Bytes put(String key) {
    return new KvOp.Put(Bytes.utf8(key), Bytes.utf8("v")).encode();
  }

  @Test
  void tentativeExecutionsCountOnlyOnceCommitted() {
    app.executeSpeculatively(1, put("a"));
    app.executeSpeculatively(2, put("b"));
    app.executeSpeculatively(3, put("c"));
    assertThat(executions).isEmpty();
    app.commit(1);
    assertThat(executions).extracting(Execution::opNumber).containsExactly(1L);
    app.rollback(1);
    assertThat(app.rolledBack()).isEqualTo(2);
    app.executeSpeculatively(2, put("d"));
    app.commit(2);
    assertThat(executions).extracting(Execution::opNumber).containsExactly(1L, 2L);
    assertThat(executions.get(1).op()).isEqualTo(put("d"));
    assertThat(app.tentativeCount()).isZero();
  }

  @Test
  void finalExecutionsCountAtOnce() {
    app.execute(1, put("a"));
    assertThat(executions).extracting(Execution::opNumber).containsExactly(1L);
  }
}
