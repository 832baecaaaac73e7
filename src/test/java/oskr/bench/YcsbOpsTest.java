package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import oskr.app.KvStore;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.WorkloadProperties;
import oskr.core.Bytes;
import oskr.protocol.Completion;

/**
 * YCSB through the closed-loop driver against a store in process: the load phase ends with every
 * record inserted and each client finished; the run phase's latencies and failures land in their op
 * kind's window.
 */
class YcsbOpsTest {
  private static CoreWorkload workload() {
    return new CoreWorkload(
        new WorkloadProperties(
            Map.of(
                "recordcount", "30",
                "readproportion", "0.5",
                "updateproportion", "0.5",
                "requestdistribution", "zipfian")));
  }

  /** Runs client {@code client} of the driver against {@code store} for {@code ops} ops. */
  private static void drive(ClosedLoopDriver driver, int client, KvStore store, int ops) {
    for (int i = 0; i < ops && !driver.finished(client); i++) {
      Bytes result = store.execute(0, driver.nextOp(client));
      driver.completed(client, result, Completion.NORMAL, (10 + i % 5) * 1_000L);
    }
  }

  @Test
  void theLoadInsertsEveryRecordAndThenTheClientsFinish() {
    KvStore store = new KvStore();
    YcsbOps load = new YcsbOps(workload(), 4, YcsbOps.Phase.LOAD);
    ClosedLoopDriver driver = new ClosedLoopDriver(load);
    for (int client = 0; client < 4; client++) {
      assertThat(load.loadComplete()).isFalse();
      drive(driver, client, store, 100);
      assertThat(driver.finished(client)).isTrue();
    }
    assertThat(load.loadComplete()).isTrue();
    assertThat(store.size()).isEqualTo(30);
    ClosedLoopDriver.Window whole = driver.whole(java.time.Duration.ofSeconds(1));
    assertThat(whole.ops()).isEqualTo(30);
    assertThat(whole.kinds().get(2).kind()).isEqualTo("INSERT");
    assertThat(whole.kinds().get(2).ops()).isEqualTo(30);
    assertThat(whole.kinds().get(2).failed()).isZero();
  }

  @Test
  void theRunRecordsEachKindAndCountsWhatWasNotFound() {
    KvStore loaded = new KvStore();
    ClosedLoopDriver loader = new ClosedLoopDriver(new YcsbOps(workload(), 1, YcsbOps.Phase.LOAD));
    drive(loader, 0, loaded, 100);
    ClosedLoopDriver driver = new ClosedLoopDriver(new YcsbOps(workload(), 2, YcsbOps.Phase.RUN));
    driver.startWindow();
    drive(driver, 0, loaded, 500);
    drive(driver, 1, new KvStore(), 500); // an empty store: every op of client 1 misses
    ClosedLoopDriver.Window window = driver.endWindow();
    ClosedLoopDriver.KindWindow reads = window.kinds().get(0);
    ClosedLoopDriver.KindWindow updates = window.kinds().get(1);
    assertThat(reads.kind()).isEqualTo("READ");
    assertThat(reads.ops() + updates.ops()).isEqualTo(1000);
    assertThat(reads.ops()).isBetween(400L, 600L);
    assertThat(reads.failed() + updates.failed()).isEqualTo(500);
    assertThat(window.kinds().get(3).ops()).isZero();
  }
}
