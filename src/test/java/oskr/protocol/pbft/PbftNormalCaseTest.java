package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;

/**
 * The fault-free case on the simulator: every scheme and batch size orders all requests in view 0
 * with nothing rejected, a lone replica (f = 0) orders and checkpoints alone, and batches stay
 * small enough in bytes for the largest NEW-VIEW to fit in a frame.
 */
class PbftNormalCaseTest {
  @ParameterizedTest
  @CsvSource({"secp256k1, 1, 1", "ed25519, 1, 2", "ed25519, 10, 3", "hmac, 1, 4", "hmac, 10, 5"})
  void severalClientsAgreeOnOneHistory(String scheme, int batchSize, long seed) {
    Options options =
        Options.defaults()
            .withScheme(Scheme.parse(scheme))
            .withBatchSizeMax(batchSize)
            .withSettings(PbftSettings.checkpoints(16, 32));
    LogApp[] apps = new LogApp[4];
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(seed, 4, 1, options.scheme())
            .options(options)
            .clients(5)
            .opsPerClient(40)
            .app(i -> apps[i] = new LogApp(false))
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(30));
    sim.runFor(Duration.ofMillis(100));
    for (int i = 0; i < 4; i++) {
      assertThat(apps[i].count()).as("r%d executed all", i).isEqualTo(200);
      assertThat(PbftSimulationTest.replica(sim, i).view()).isZero();
      assertThat(sim.receiveDrops(sim.replicaAddress(i)).total()).isZero();
    }
  }

  @Test
  void aSingleReplicaWithFZeroOrdersAlone() {
    Options options =
        Options.defaults().withScheme(Scheme.ED25519).withSettings(PbftSettings.checkpoints(4, 8));
    LogApp[] apps = new LogApp[1];
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(6, 1, 0, Scheme.ED25519)
            .options(options)
            .clients(2)
            .opsPerClient(30)
            .app(i -> apps[i] = new LogApp(false))
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0), Duration.ofSeconds(10));
    assertThat(apps[0].count()).isEqualTo(60);
    assertThat(PbftSimulationTest.replica(sim, 0).checkpoints.stableSeq()).isPositive();
  }

  /** With L = 4096 a NEW-VIEW could hold 3 * 4096 batches: each must stay tiny in bytes. */
  @Test
  void batchesCloseAtTheByteBoundThatKeepsNewViewsWithinAFrame() {
    Options options =
        Options.defaults()
            .withScheme(Scheme.ED25519)
            .withBatchSizeMax(50)
            .withSettings(PbftSettings.checkpoints(2048, 4096));
    int[] largestBatch = new int[1];
    Rewrite measureBatches =
        Rewrite.messages(
            "measure batches",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (message instanceof PbftMessage.PrePrepare m) {
                largestBatch[0] = Math.max(largestBatch[0], m.batch().size());
              }
              return message;
            });
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(7, 4, 1, Scheme.ED25519)
            .options(options)
            .clients(10)
            .opsPerClient(10)
            .filter(measureBatches)
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(30));
    // 16 MiB / (3 * 4096) - 1024 = 341 bytes; a request counts 128 + its op (4 or 5 bytes, "c3-7"
    // or "c3-10") + its client's signature (64) bytes: the second one closes a batch.
    assertThat(largestBatch[0]).isEqualTo(2);
  }
}
