package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PbftStateTransferTest {
  @Test
  void backupCutOffAcrossCheckpointsCatchesUpByStateTransfer() {
    Net net = new Net(41, 1, PbftFaultTest.options(), true);
    Workload workload = new Workload(net, 3, 60);
    workload.start();
    net.runUntil(() -> workload.completed() >= 10, Duration.ofSeconds(10));
    net.isolated[3] = true;
    net.runUntil(() -> workload.completed() >= 120, Duration.ofSeconds(30));
    long stableWhileCut = net.replica(0).checkpoints.stableSeq();
    assertThat(stableWhileCut - net.replica(3).lastExecuted())
        .as("several checkpoints behind")
        .isGreaterThan(3 * 8);
    net.isolated[3] = false;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    net.runFor(Duration.ofMillis(200));
    PbftReplica lagging = net.replica(3);
    assertThat(lagging.checkpoints.stableSeq()).isGreaterThan(stableWhileCut);
    assertThat(net.apps.get(3).offset()).as("installed a snapshot").isPositive();
    // Every correct replica holds the same state at the latest stable checkpoint.
    for (int i = 0; i < 3; i++) {
      assertThat(net.replica(i).checkpoints.stableDigest())
          .isEqualTo(lagging.checkpoints.stableDigest());
    }
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }
}
