package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.sim.Drop;
import oskr.sim.Packet;
import oskr.sim.Partition;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * A replica that fell behind catches up, on the simulator: by state transfer in chunks, refetching
 * a corrupted chunk elsewhere, or from the log when it lost only COMMITs. (A backup cut off across
 * checkpoints is {@link PbftSimulationTest#backupCutOffAcrossCheckpointsCatchesUpByStateTransfer}.)
 */
class PbftStateTransferTest {
  /** A 150 KB state takes four chunks; replica 0 corrupts what it serves, so 3 asks another. */
  @Test
  void aLargeStateTravelsInChunksAndACorruptedOneIsRefetched() {
    Rewrite corruptChunks =
        Rewrite.messages(
            "replica 0 corrupts the state it serves",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (!(message instanceof StateChunk m)
                  || !packet.from().equals(SimulationBuilder.replicaAddress(0))) {
                return message;
              }
              byte[] data = m.data().toArray();
              data[data.length / 2] ^= 1;
              return new StateChunk(
                  m.seq(),
                  m.stateDigest(),
                  m.proof(),
                  m.chunk(),
                  m.chunkCount(),
                  Bytes.adopt(data));
            });
    LogApp[] apps = new LogApp[4];
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(42, 4, 1, Scheme.ED25519)
            .opsPerClient(40)
            .app(i -> apps[i] = new LogApp(false, 150_000))
            .filter(corruptChunks)
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 10, Duration.ofSeconds(10));
    Address cut = sim.replicaAddress(3);
    Partition partition = sim.partition(Set.of(cut), PbftSimulationTest.allBut(sim, cut));
    sim.runUntil(() -> sim.completedOperations() >= 80, Duration.ofSeconds(30));
    sim.removeFilter(partition);
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    sim.runFor(Duration.ofMillis(500));
    PbftReplica lagging = PbftSimulationTest.replica(sim, 3);
    assertThat(apps[3].offset()).as("installed a snapshot").isPositive();
    assertThat(lagging.drops().get(StateTransfer.STATE_DIGEST_MISMATCH)).isPositive();
    assertThat(corruptChunks.rewritten()).isPositive();
    assertThat(lagging.checkpoints.stableDigest())
        .isEqualTo(PbftSimulationTest.replica(sim, 0).checkpoints.stableDigest());
    assertThat(apps[3].chain()).isEqualTo(apps[0].chain());
  }

  /** Whether {@code packet} carries a PBFT message of {@code type}. */
  private static boolean carries(Packet packet, Class<? extends PbftMessage> type) {
    Bytes frame = packet.frame();
    try {
      return type.isInstance(Frames.decode(Pbft.INSTANCE, frame.unsafeArray(), 0, frame.length()));
    } catch (MalformedMessage e) {
      return false;
    }
  }

  /**
   * Replica 3 never gets a COMMIT, so it cannot commit anything itself: its execution stalls, it
   * fetches the log, and installs each batch from a committed certificate (signatures) or from f+1
   * replicas' MAC'd claims (hmac).
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aReplicaThatLosesAllCommitsCatchesUpFromTheLog(Scheme scheme) {
    LogApp[] apps = new LogApp[4];
    Address lossy = SimulationBuilder.replicaAddress(3);
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(43, 4, 1, scheme)
            // No checkpoint within the run: only the log can help.
            .options(PbftSimulationTest.options(scheme).withSettings(PbftSettings.checkpoints(64, 128)))
            .clients(2)
            .opsPerClient(20)
            .app(i -> apps[i] = new LogApp(false))
            .filter(
                new Drop(1)
                    .onlyIf(p -> p.to().equals(lossy) && carries(p, PbftMessage.Commit.class)))
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    PbftReplica behind = PbftSimulationTest.replica(sim, 3);
    sim.runUntil(
        () -> behind.lastExecuted() >= PbftSimulationTest.replica(sim, 0).lastExecuted(),
        Duration.ofSeconds(5));
    assertThat(apps[3].count()).isEqualTo(40);
    assertThat(apps[3].offset()).as("executed, not transferred").isZero();
    if (scheme == Scheme.HMAC) {
      assertThat(behind.drops().get(StateTransfer.CLAIM_COUNTED)).isPositive();
    }
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
  }
}
