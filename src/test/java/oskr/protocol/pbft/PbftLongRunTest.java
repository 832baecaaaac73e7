package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

class PbftLongRunTest {
  /** 100,000 requests: the log never holds more than the watermark window (memory stays flat). */
  @Test
  void hundredThousandRequestsKeepTheLogWithinTheWatermarkWindow() {
    Options options =
        Options.defaults().withScheme(Scheme.HMAC).withBatchSizeMax(100).withCheckpoints(32, 64);
    Net net = new Net(51, 1, options, false);
    Workload workload = new Workload(net, 200, 500);
    int[] logMax = new int[1];
    int[] checkpointEntriesMax = new int[1];
    workload.start();
    boolean done =
        net.runUntil(
            () -> {
              for (int i = 0; i < 4; i++) {
                PbftReplica replica = net.replica(i);
                logMax[0] = Math.max(logMax[0], replica.logSize());
                checkpointEntriesMax[0] =
                    Math.max(checkpointEntriesMax[0], replica.checkpoints.memoryEntries());
              }
              return workload.done();
            },
            Duration.ofSeconds(600));
    assertThat(done).as("completed %d", workload.completed()).isTrue();
    assertThat(workload.completed()).isEqualTo(100_000);
    assertThat(logMax[0]).isLessThanOrEqualTo(options.watermarkWindow());
    assertThat(checkpointEntriesMax[0])
        .isLessThanOrEqualTo(2 * (options.watermarkWindow() / options.checkpointInterval() + 2));
    for (int i = 0; i < 4; i++) {
      PbftReplica replica = net.replica(i);
      assertThat(replica.checkpoints.stableSeq()).isGreaterThan(replica.lastExecuted() - 64);
      assertThat(replica.clientRecords.size()).isEqualTo(200);
      assertThat(net.apps.get(i).chain()).isEqualTo(net.apps.get(0).chain());
      assertThat(net.apps.get(i).count()).isEqualTo(100_000);
    }
  }
}
