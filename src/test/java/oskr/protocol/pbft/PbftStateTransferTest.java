package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.app.KvOp;
import oskr.app.KvStore;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.sim.Drop;
import oskr.sim.Filter;
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
                  m.size(),
                  Bytes.adopt(data),
                  m.path());
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
    assertThat(sim.receiveDrops(cut).get(Simulation.REJECTED + StateTransfer.CHUNK_MISMATCH))
        .isPositive();
    assertThat(corruptChunks.rewritten()).isPositive();
    assertThat(lagging.checkpoints.stableDigest())
        .isEqualTo(PbftSimulationTest.replica(sim, 0).checkpoints.stableDigest());
    assertThat(apps[3].chain()).isEqualTo(apps[0].chain());
  }

  /**
   * Replica 3 gets no COMMIT (and no committed proof) for a few batches across a checkpoint, but
   * sees the checkpoint become stable: it is less than one interval behind, so it catches up from
   * the batches the others keep below their stable checkpoint, without any state transfer.
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aReplicaAFewBatchesBehindAStableCheckpointCatchesUpFromTheLog(Scheme scheme) {
    LogApp[] apps = new LogApp[4];
    Address behind = SimulationBuilder.replicaAddress(3);
    Count chunks = new Count(StateChunk.class, behind);
    Count proofs = new Count(CommittedProof.class, behind);
    Drop lose = new Drop(1);
    Filter loseCommits =
        lose.onlyIf(
            p ->
                p.to().equals(behind)
                    && (carries(p, PbftMessage.Commit.class) || carries(p, CommittedProof.class)));
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(45, 4, 1, scheme)
            .opsPerClient(30)
            .app(i -> apps[i] = new LogApp(false))
            .filter(chunks)
            .filter(proofs)
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 12, Duration.ofSeconds(10));
    PbftReplica lagging = PbftSimulationTest.replica(sim, 3);
    long executed = lagging.lastExecuted();
    sim.addFilter(loseCommits);
    sim.runUntil(() -> lagging.checkpoints.stableSeq() > executed, Duration.ofSeconds(10));
    long stable = lagging.checkpoints.stableSeq();
    assertThat(stable - lagging.lastExecuted()).as("behind its stable checkpoint").isPositive();
    assertThat(stable - lagging.lastExecuted()).isLessThanOrEqualTo(8);
    sim.removeFilter(loseCommits);
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    assertThat(lagging.lastExecuted()).isGreaterThanOrEqualTo(stable);
    assertThat(apps[3].offset()).as("executed, not transferred").isZero();
    assertThat(chunks.count).as("state chunks to replica 3").isZero();
    assertThat(proofs.count).as("committed proofs to replica 3").isPositive();
  }

  /**
   * A KV state larger than the old 16 MiB cap on a snapshot: replica 3 starts empty and cut off,
   * the others hold 18 MiB; once the others have a stable checkpoint replica 3 fetches it, one 48
   * KiB chunk after another, and ends with the same store.
   */
  @Test
  void aKvStateLargerThanSixteenMibTransfersChunkByChunk() {
    KvStore[] stores = new KvStore[4];
    int entries = 18 * 16; // 64 KiB values: 18 MiB
    Count chunks = new Count(StateChunk.class, SimulationBuilder.replicaAddress(3));
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(44, 4, 1, Scheme.ED25519)
            .opsPerClient(20)
            .app(i -> stores[i] = i == 3 ? new KvStore() : loaded(entries))
            .filter(chunks)
            .build();
    Address cut = sim.replicaAddress(3);
    Partition partition = sim.partition(Set.of(cut), PbftSimulationTest.allBut(sim, cut));
    sim.runUntil(() -> sim.completedOperations() >= 45, Duration.ofSeconds(30));
    assertThat(PbftSimulationTest.replica(sim, 0).checkpoints.stableSeq()).isPositive();
    sim.removeFilter(partition);
    PbftReplica lagging = PbftSimulationTest.replica(sim, 3);
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    sim.runUntil(
        () -> lagging.checkpoints.stableTree() != null && stores[3].size() == entries,
        Duration.ofSeconds(30));
    assertThat(stores[3].stateBytes()).isGreaterThan(16L << 20);
    assertThat(stores[3].digest()).isEqualTo(stores[0].digest());
    assertThat(chunks.count)
        .as("chunks delivered to replica 3")
        .isGreaterThanOrEqualTo(stores[0].stateBytes() / StateChunk.CHUNK_BYTES);
    assertThat(lagging.drops().get(StateTransfer.BAD_SNAPSHOT)).isZero();
  }

  private static KvStore loaded(int entries) {
    KvStore store = new KvStore();
    for (int i = 0; i < entries; i++) {
      byte[] value = new byte[KvOp.VALUE_MAX];
      java.util.Arrays.fill(value, (byte) i);
      store.apply(new KvOp.Put(Bytes.utf8(String.format("key%05d", i)), Bytes.adopt(value)));
    }
    return store;
  }

  /** Passes every packet on; counts those to {@code to} that carry a {@code type}. */
  static final class Count implements Filter {
    private final Class<? extends PbftMessage> type;
    private final Address to;
    long count;

    Count(Class<? extends PbftMessage> type, Address to) {
      this.type = type;
      this.to = to;
    }

    @Override
    public void apply(Packet packet, Outlet out) {
      if (packet.to().equals(to) && carries(packet, type)) count++;
      out.pass(packet);
    }

    @Override
    public String toString() {
      return "count " + type.getSimpleName() + " to " + to;
    }
  }

  /** Whether {@code packet} carries a PBFT message of {@code type}. */
  static boolean carries(Packet packet, Class<? extends PbftMessage> type) {
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
            .options(
                PbftSimulationTest.options(scheme).withSettings(PbftSettings.checkpoints(64, 128)))
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
      assertThat(behind.drops().get(LogTransfer.CLAIM_COUNTED)).isPositive();
    }
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
  }
}
