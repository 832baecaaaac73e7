package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.Sha256;
import oskr.protocol.ChunkPart;
import oskr.protocol.ChunkTree;
import oskr.protocol.ClientTable;
import oskr.protocol.StateImage;
import oskr.protocol.hotstuff.HotStuffMessage.Checkpoint;
import oskr.protocol.hotstuff.HotStuffMessage.FetchState;
import oskr.protocol.hotstuff.HotStuffMessage.StateChunk;
import oskr.sim.Simulation;

/**
 * State transfer from a proven checkpoint. Retention 16 blocks, a checkpoint every 4: replica 3 is
 * cut off while the others commit far more than 16 blocks, so the chain it misses is pruned
 * everywhere and block sync alone cannot bring it back (before state transfer it stayed behind for
 * good). It must fetch a proven checkpoint's state (FETCH-STATE), install it, execute the blocks
 * above, and end with the same state as the others, byte for byte, replying to clients again.
 */
class HotStuffStateTransferTest {
  private static final int RETAINED = 16;

  private static Simulation<HotStuffMessage> partitioned(long seed, Set<String> sink) {
    Simulation<HotStuffMessage> sim =
        HotStuffSimulationTest.builder(seed)
            .opsPerClient(120)
            .options(
                HotStuffSimulationTest.options(Scheme.ED25519)
                    .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(RETAINED)))
            .traceSink(
                line -> {
                  if (!line.contains(" send ") || !line.contains("sim-replica-3:1 -> ")) return;
                  if (line.contains(": FetchState[")) sink.add("fetch");
                  if (line.contains(": Reply[")) sink.add("reply " + line.length());
                })
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 10, HotStuffSimulationTest.LIMIT);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 3; i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partition(Set.of(sim.replicaAddress(3)), others);
    sim.runUntil(() -> sim.completedOperations() >= 250, HotStuffSimulationTest.LIMIT);
    assertThat(replica(sim, 0).executedHeight())
        .as("blocks committed while replica 3 was away, beyond the retention")
        .isGreaterThan(replica(sim, 3).executedHeight() + 4L * RETAINED);
    return sim;
  }

  @Test
  void aReplicaPartitionedLongerThanTheRetentionTransfersStateAndRepliesAgain() {
    Set<String> sentBy3 = new HashSet<>();
    Simulation<HotStuffMessage> sim = partitioned(51, sentBy3);
    sentBy3.clear();
    sim.heal();
    HotStuffSimulationTest.runAndCheck(sim, HotStuffSimulationTest.all());
    assertThat(sentBy3).as("replica 3 fetched state").contains("fetch");
    assertThat(sentBy3.stream().anyMatch(s -> s.startsWith("reply")))
        .as("replica 3 replies again after the transfer")
        .isTrue();
    assertThat(replica(sim, 3).executes()).isTrue();
    assertSameState(sim, HotStuffSimulationTest.all());
  }

  /**
   * While replica 3 fetches, replica 1's key is used by a forger: chunks of the state being fetched
   * with a byte changed (rejected by verify), a self-consistent state with an invented digest
   * (dropped: not the proven digest), and CHECKPOINTs for that invented state, one signed by
   * replica 1 (alone: no proof) and one claiming to be replica 2's (rejected). Replica 3 still
   * installs the proven state only.
   */
  @Test
  void forgedCheckpointsAndWrongChunksCannotMakeAReplicaInstallAWrongState() {
    Simulation<HotStuffMessage> sim = partitioned(52, new HashSet<>());
    sim.heal();
    Address target = sim.replicaAddress(3);
    Address forger = sim.replicaAddress(1);
    Crypto forgerKeys = sim.crypto(sim.keys().replica(1));
    Sha256 sha256 = new Sha256();
    sim.runUntil(() -> !replica(sim, 3).executes(), HotStuffSimulationTest.LIMIT);
    assertThat(replica(sim, 3).executes())
        .as("replica 3 restarted its tree above its state")
        .isFalse();
    AtomicLong attacks = new AtomicLong();
    for (int step = 0; step < 4000 && !replica(sim, 3).executes(); step++) {
      long height = replica(sim, 3).provenHeight();
      StateImage real = realImage(sim, height);
      if (height > 0 && real != null) {
        ChunkPart wrong = HotStuffAdapter.flip(ChunkPart.of(real, ChunkTree.of(real, sha256), 0));
        sim.inject(forger, target, new StateChunk(height, provenDigest(sim), wrong, 1));
        // A well-formed state for the very checkpoint being fetched, the app's part valid too,
        // but another op number and client table: a state no correct replica had.
        Writer header = new Writer(64).u64(height).digest(provenBlock(sim)).u64(1_000_000);
        new ClientTable<Execution.Answer>().encode(header, (out, answer) -> {});
        StateImage forged = new StateImage(header.toBytes(), App.Snapshot.of(appPart(real)));
        ChunkTree forgedTree = ChunkTree.of(forged, sha256);
        sim.inject(
            forger,
            target,
            new StateChunk(
                height, forgedTree.stateDigest(), ChunkPart.of(forged, forgedTree, 0), 1));
        long next = height + replicaSettings(sim).checkpointInterval();
        Digest block = replica(sim, 0).committedBlock();
        sim.inject(forger, target, signed(next, block, forgedTree.stateDigest(), 1, forgerKeys));
        // From replica 2's address, as a forger on the network could send it.
        sim.inject(
            sim.replicaAddress(2),
            target,
            signed(next, block, forgedTree.stateDigest(), 2, forgerKeys));
        attacks.incrementAndGet();
      }
      sim.runFor(Duration.ofNanos(200_000));
    }
    assertThat(attacks.get()).as("attacks made while replica 3 fetched").isPositive();
    HotStuffSimulationTest.runAndCheck(sim, HotStuffSimulationTest.all());
    assertThat(replica(sim, 3).drops().get(StateTransfer.UNPROVEN_STATE))
        .as("chunks of the invented state dropped")
        .isPositive();
    assertThat(sim.receiveDrops(target).get(Simulation.REJECTED + HotStuff.CHUNK_MISMATCH))
        .as("changed chunks rejected")
        .isPositive();
    assertThat(sim.receiveDrops(target).get(Simulation.REJECTED + HotStuff.BAD_SIGNATURE))
        .as("a CHECKPOINT in another replica's name rejected")
        .isPositive();
    assertThat(replica(sim, 3).executes()).isTrue();
    assertSameState(sim, HotStuffSimulationTest.all());
  }

  /**
   * Replica 2 floods replicas 0 and 1 with FETCH-STATEs for their proven checkpoint: each answers
   * at most its chunk budget per period, drops and counts the rest; a FETCH-STATE for a checkpoint
   * that is not the proven one gets nothing.
   */
  @Test
  void aFloodOfStateFetchesGetsBoundedAnswers() {
    Simulation<HotStuffMessage> sim =
        HotStuffSimulationTest.builder(53)
            .opsPerClient(60)
            .options(
                HotStuffSimulationTest.options(Scheme.ED25519)
                    .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(RETAINED)))
            .build();
    sim.runUntil(() -> replica(sim, 0).provenHeight() > 0, HotStuffSimulationTest.LIMIT);
    sim.runFor(Duration.ofMillis(20)); // its image digested
    Duration flood = Duration.ofSeconds(1);
    Duration every = Duration.ofNanos(500_000);
    long requests = flood.toNanos() / every.toNanos();
    for (long i = 0; i < requests; i++) {
      for (int target = 0; target < 2; target++) {
        long height = Math.max(1, replica(sim, target).provenHeight());
        sim.inject(sim.replicaAddress(2), sim.replicaAddress(target), new FetchState(height, 0, 2));
        sim.inject(
            sim.replicaAddress(2), sim.replicaAddress(target), new FetchState(height + 1, 0, 2));
      }
      sim.runFor(every);
    }
    long periods = flood.toNanos() / HotStuffSettings.DEFAULTS.viewTimeout().toNanos() + 2;
    long bound = ChunkBudget.CHUNKS_PER_PERIOD * periods;
    for (int target = 0; target < 2; target++) {
      HotStuffReplica server = replica(sim, target);
      System.out.printf(
          "replica %d: %d FETCH-STATEs from replica 2, %d chunks served (bound %d), %d over"
              + " budget, %d for no proven checkpoint%n",
          target,
          requests,
          server.chunksServedTo(2),
          bound,
          server.drops().get(ChunkBudget.SPENT),
          server.drops().get(StateTransfer.STATE_UNAVAILABLE));
      assertThat(server.chunksServedTo(2)).as("chunks served to the flooder").isPositive();
      assertThat(server.chunksServedTo(2)).isLessThanOrEqualTo(bound);
      assertThat(server.drops().get(ChunkBudget.SPENT)).isGreaterThan(requests / 2);
      assertThat(server.drops().get(StateTransfer.STATE_UNAVAILABLE))
          .as("fetches of a checkpoint that is not the proven one")
          .isGreaterThanOrEqualTo(requests);
      assertThat(server.checkpointEntries()).as("checkpoint memory bounded").isLessThan(16);
    }
    HotStuffSimulationTest.runAndCheck(sim, HotStuffSimulationTest.all());
  }

  @Test
  void theCheckpointIntervalIsAtMostHalfTheRetention() {
    assertThat(HotStuffSettings.DEFAULTS.checkpointInterval()).isEqualTo(256);
    assertThat(HotStuffSettings.DEFAULTS.withRetainedBlocks(64).checkpointInterval()).isEqualTo(16);
    assertThat(HotStuffSettings.DEFAULTS.withRetainedBlocks(4096).checkpointInterval())
        .isEqualTo(256);
    HotStuffSettings.DEFAULTS.withCheckpointInterval(512);
    for (int bad : new int[] {0, -1, 513}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> HotStuffSettings.DEFAULTS.withCheckpointInterval(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Every replica in {@code replicas} holds the same state: app, client table, op number. */
  static void assertSameState(Simulation<HotStuffMessage> sim, Set<Integer> replicas) {
    Bytes first = null;
    for (int i : replicas) {
      Bytes state = replica(sim, i).stateForTests();
      if (first == null) first = state;
      assertThat(state).as("state of replica %d", i).isEqualTo(first);
    }
  }

  private static Checkpoint signed(
      long height, Digest block, Digest stateDigest, int replica, Crypto crypto) {
    Checkpoint unsigned = new Checkpoint(height, block, stateDigest, replica, Bytes.EMPTY);
    return unsigned.withSignature(Auth.sign(crypto, unsigned::encodeSigned));
  }

  /** The proven state at {@code height}, as a correct replica serves it, or null. */
  private static StateImage realImage(Simulation<HotStuffMessage> sim, long height) {
    for (int i = 0; i < 3; i++) {
      Checkpoints checkpoints = replica(sim, i).checkpointsForTests();
      if (checkpoints.provenImage() != null && checkpoints.proven().height() == height) {
        return checkpoints.provenImage();
      }
    }
    return null;
  }

  /** The app's part of a (small) image: what follows the length-prefixed header. */
  private static Bytes appPart(StateImage image) {
    Writer whole = new Writer((int) image.size());
    for (int chunk = 0; chunk < image.chunkCount(); chunk++) {
      Bytes data = image.chunk(chunk);
      whole.raw(data.unsafeArray(), 0, data.length());
    }
    byte[] bytes = whole.toArray();
    int headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 4).getInt();
    return Bytes.copyOf(bytes, 4 + headerLength, bytes.length - 4 - headerLength);
  }

  private static Digest provenDigest(Simulation<HotStuffMessage> sim) {
    return replica(sim, 3).checkpointsForTests().proven().stateDigest();
  }

  private static Digest provenBlock(Simulation<HotStuffMessage> sim) {
    return replica(sim, 3).checkpointsForTests().proven().block();
  }

  private static HotStuffSettings replicaSettings(Simulation<HotStuffMessage> sim) {
    return HotStuffSettings.of(sim.options());
  }

  private static HotStuffReplica replica(Simulation<HotStuffMessage> sim, int index) {
    return HotStuffSimulationTest.replica(sim, index);
  }
}
