package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

class PbftNormalCaseTest {
  @ParameterizedTest
  @CsvSource({"secp256k1, 1, 1", "ed25519, 1, 2", "ed25519, 10, 3", "hmac, 1, 4", "hmac, 10, 5"})
  void severalClientsAgreeOnOneHistory(String scheme, int batchSize, long seed) {
    Options options =
        Options.defaults()
            .withScheme(Scheme.parse(scheme))
            .withBatchSizeMax(batchSize)
            .withCheckpoints(16, 32);
    Net net = new Net(seed, 1, options, true);
    Workload workload = new Workload(net, 5, 40);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(30))).isTrue();
    net.runFor(Duration.ofMillis(100));
    Workload.checkAgreement(net, 0, 1, 2, 3);
    for (int i = 0; i < 4; i++) {
      assertThat(net.apps.get(i).count()).as("r%d executed all", i).isEqualTo(200);
      assertThat(net.replica(i).view()).isZero();
      assertThat(net.replicas.get(i).rejected.total()).isZero();
    }
  }

  @Test
  void aSingleReplicaWithFZeroOrdersAlone() {
    Options options = Options.defaults().withScheme(Scheme.ED25519).withCheckpoints(4, 8);
    Net net = new Net(6, 0, options, true);
    Workload workload = new Workload(net, 2, 30);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(10))).isTrue();
    assertThat(net.apps.get(0).count()).isEqualTo(60);
    assertThat(net.replica(0).checkpoints.stableSeq()).isPositive();
  }

  /** With L = 4096 a NEW-VIEW could hold 3 * 4096 batches: each must stay tiny in bytes. */
  @Test
  void batchesCloseAtTheByteBoundThatKeepsNewViewsWithinAFrame() {
    Options options =
        Options.defaults()
            .withScheme(Scheme.ED25519)
            .withBatchSizeMax(50)
            .withCheckpoints(2048, 4096);
    Net net = new Net(7, 1, options, true);
    int[] largestBatch = new int[1];
    net.interceptor =
        (from, to, message) -> {
          if (message instanceof PbftMessage.PrePrepare m) {
            largestBatch[0] = Math.max(largestBatch[0], m.batch().size());
          }
          return java.util.List.of(message);
        };
    Workload workload = new Workload(net, 10, 10);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(30))).isTrue();
    // 16 MiB / (3 * 4096) - 1024 = 341 bytes; a request counts 128 + its op (5) + its client's
    // signature (64) bytes: the second one closes a batch.
    assertThat(largestBatch[0]).isEqualTo(2);
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }
}
