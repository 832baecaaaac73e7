package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

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

  /** A 150 KB state takes four chunks; replica 0 corrupts what it serves, so 3 asks another. */
  @Test
  void aLargeStateTravelsInChunksAndACorruptedOneIsRefetched() {
    Net net = new Net(42, 1, PbftFaultTest.options(), true, 150_000);
    net.interceptor =
        (from, to, message) -> {
          if (message instanceof StateChunk m && from.equals(net.config.replica(0))) {
            byte[] data = m.data().toArray();
            data[data.length / 2] ^= 1;
            return java.util.List.of(
                new StateChunk(
                    m.seq(),
                    m.stateDigest(),
                    m.proof(),
                    m.chunk(),
                    m.chunkCount(),
                    oskr.core.Bytes.adopt(data)));
          }
          return java.util.List.of(message);
        };
    Workload workload = new Workload(net, 3, 40);
    workload.start();
    net.runUntil(() -> workload.completed() >= 10, Duration.ofSeconds(10));
    net.isolated[3] = true;
    net.runUntil(() -> workload.completed() >= 80, Duration.ofSeconds(30));
    net.isolated[3] = false;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    net.runFor(Duration.ofMillis(500));
    PbftReplica lagging = net.replica(3);
    assertThat(net.apps.get(3).offset()).as("installed a snapshot").isPositive();
    assertThat(lagging.drops().get(StateTransfer.STATE_DIGEST_MISMATCH)).isPositive();
    assertThat(lagging.checkpoints.stableDigest())
        .isEqualTo(net.replica(0).checkpoints.stableDigest());
    assertThat(net.apps.get(3).chain()).isEqualTo(net.apps.get(0).chain());
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }

  /**
   * Replica 3 never gets a COMMIT, so it cannot commit anything itself: its execution stalls, it
   * fetches the log, and installs each batch from a committed certificate (signatures) or from f+1
   * replicas' MAC'd claims (hmac).
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aReplicaThatLosesAllCommitsCatchesUpFromTheLog(Scheme scheme) {
    Options options = PbftFaultTest.options().withScheme(scheme).withCheckpoints(64, 128);
    Net net = new Net(43, 1, options, true); // no checkpoint: only the log can help
    oskr.core.Address lossy = net.config.replica(3);
    net.interceptor =
        (from, to, message) ->
            message instanceof PbftMessage.Commit && to.equals(lossy)
                ? java.util.List.of()
                : java.util.List.of(message);
    Workload workload = new Workload(net, 2, 20);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    net.runUntil(
        () -> net.replica(3).lastExecuted() >= net.replica(0).lastExecuted(),
        Duration.ofSeconds(5));
    assertThat(net.apps.get(3).count()).isEqualTo(40);
    assertThat(net.apps.get(3).offset()).as("executed, not transferred").isZero();
    if (scheme == Scheme.HMAC) {
      assertThat(net.replica(3).drops().get(StateTransfer.CLAIM_COUNTED)).isPositive();
    }
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }
}
