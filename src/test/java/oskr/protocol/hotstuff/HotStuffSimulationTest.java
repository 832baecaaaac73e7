package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.Address;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.Checks;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Execution;
import oskr.sim.Reorder;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * The proof scenarios of HotStuff on the simulator, seeded and reproducible (replay one seed of the
 * parameterized ones with {@code -Dsim.seed=N}). Every run ends with the checks that the replicas
 * named correct executed identical histories (the same ops at the same op numbers, each at most
 * once) and that clients accepted only results a replica produced.
 */
class HotStuffSimulationTest {
  static final Duration LIMIT = Duration.ofSeconds(120);

  static LongStream seeds() {
    String replay = System.getProperty("sim.seed");
    return replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, 3);
  }

  static Options options(Scheme scheme) {
    return Options.defaults()
        .withScheme(scheme)
        .withBatchSizeMax(8)
        .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(16));
  }

  static SimulationBuilder<HotStuffMessage> builder(long seed) {
    return Simulation.builder(HotStuff.INSTANCE, seed)
        .replicas(4, 1)
        .clients(4)
        .opsPerClient(30)
        .options(options(Scheme.ED25519));
  }

  static HotStuffReplica replica(Simulation<HotStuffMessage> sim, int index) {
    return (HotStuffReplica) sim.replica(index);
  }

  /** Runs until every client is done, then checks the histories of {@code correct}. */
  static void runAndCheck(Simulation<HotStuffMessage> sim, Set<Integer> correct) {
    RunStatus status = sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(status)
        .as("seed %d: %s", sim.seed(), sim.traceTail(30))
        .isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofMillis(500)); // the last blocks commit everywhere
    check(sim, correct);
  }

  static void check(Simulation<HotStuffMessage> sim, Set<Integer> correct) {
    List<Execution> executions =
        sim.executions().stream().filter(e -> correct.contains(e.replica())).toList();
    assertThat(Checks.agreement(executions)).isEmpty();
    assertThat(Checks.exactlyOnce(executions)).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions())).isEmpty();
    assertThat(Checks.allCompleted(sim.history())).isEmpty();
    int first = correct.iterator().next();
    for (int i : correct) {
      assertThat(replica(sim, i).opNumber())
          .as("replica %d executed", i)
          .isEqualTo(replica(sim, first).opNumber());
    }
  }

  static Set<Integer> all() {
    return Set.of(0, 1, 2, 3);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void normalCaseWithBatching(long seed) {
    Simulation<HotStuffMessage> sim = builder(seed).clients(12).build();
    runAndCheck(sim, all());
    int batchMax = 0;
    for (int i = 0; i < 4; i++) {
      assertThat(replica(sim, i).opNumber()).isEqualTo(12 * 30);
      batchMax = Math.max(batchMax, replica(sim, i).batchSizeSeen());
    }
    assertThat(batchMax).as("blocks of several requests, at most -b").isBetween(2, 8);
  }

  /** One client, one request at a time: every request commits (empty blocks complete chains). */
  @Test
  void oneClientWithOneRequestOutstandingCompletes() {
    Simulation<HotStuffMessage> sim = builder(5).clients(1).opsPerClient(20).build();
    runAndCheck(sim, all());
    assertThat(sim.completedAfterResend()).as("no request waited for a timeout").isZero();
    long views = replica(sim, 0).view();
    sim.runFor(Duration.ofSeconds(5));
    assertThat(replica(sim, 0).view()).as("idle replicas stay in their view").isEqualTo(views);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void dropsDuplicatesAndReordering(long seed) {
    Simulation<HotStuffMessage> sim =
        builder(seed)
            .filter(new Drop(0.05))
            .filter(new Duplicate(0.05))
            .filter(new Reorder(0.2, Duration.ofMillis(10)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(3)))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 60, LIMIT);
    sim.heal();
    runAndCheck(sim, all());
  }

  /** The leader of the next views crashes: its views time out and the others go on. */
  @Test
  void aCrashedLeaderIsSkipped() {
    Simulation<HotStuffMessage> sim = builder(11).opsPerClient(60).build();
    sim.runUntil(() -> sim.completedOperations() >= 30, LIMIT);
    sim.crash(sim.replicaAddress(2), true);
    long before = replica(sim, 0).view();
    runAndCheck(sim, Set.of(0, 1, 3));
    assertThat(replica(sim, 0).view()).as("views went round").isGreaterThan(before + 8);
  }

  /**
   * A leader that receives everything but sends nothing (cut off one way from every replica and
   * client) is skipped like a crashed one.
   */
  @Test
  void aSilentLeaderIsSkipped() {
    Simulation<HotStuffMessage> sim = builder(12).opsPerClient(60).build();
    sim.runUntil(() -> sim.completedOperations() >= 30, LIMIT);
    Address silent = sim.replicaAddress(1);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 4; i++) if (i != 1) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partitionOneWay(Set.of(silent), others);
    runAndCheck(sim, Set.of(0, 2, 3));
  }

  /**
   * Replica 3 is cut off while the others commit many blocks (more than it could hold in flight),
   * then rejoins: it fetches the chain it missed by block sync and executes what they executed.
   */
  @Test
  void aPartitionedReplicaRejoinsAndCatchesUp() {
    Simulation<HotStuffMessage> sim =
        builder(21)
            .opsPerClient(60)
            .options(
                options(Scheme.ED25519)
                    .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(1024)))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 10, LIMIT);
    Address cut = sim.replicaAddress(3);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 3; i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partition(Set.of(cut), others);
    sim.runUntil(() -> sim.completedOperations() >= 150, LIMIT);
    assertThat(replica(sim, 3).opNumber()).isLessThan(replica(sim, 0).opNumber() - 100);
    sim.heal();
    runAndCheck(sim, all());
    assertThat(replica(sim, 3).opNumber()).isEqualTo(4 * 60);
  }
}
