package oskr.protocol.vr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.Address;
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
import oskr.sim.dst.MutantProtocol;

/**
 * The proof scenarios of VR on the simulator, seeded and reproducible (replay one seed of the
 * parameterized ones with {@code -Dsim.seed=N}). Every run ends with the checks that the replicas
 * named correct executed identical histories (the same ops at the same op numbers, each at most
 * once: {@link Checks}, and equal {@link ChainApp} chains, which also cover state installed from
 * snapshots), and that clients accepted only results a replica produced.
 */
class VrSimulationTest {
  static final Duration LIMIT = Duration.ofSeconds(120);

  static LongStream seeds() {
    String replay = System.getProperty("sim.seed");
    return replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, 3);
  }

  static Options options() {
    return Options.defaults()
        .withBatchSizeMax(8)
        .withSettings(VrSettings.DEFAULTS.withCheckpointInterval(8));
  }

  static SimulationBuilder<VrMessage> builder(long seed, ChainApp[] apps) {
    return Simulation.builder(Vr.INSTANCE, seed)
        .replicas(apps.length, (apps.length - 1) / 2)
        .clients(4)
        .opsPerClient(40)
        .options(options())
        .app(replica -> apps[replica] = new ChainApp());
  }

  static VrReplica replica(Simulation<VrMessage> sim, int index) {
    return (VrReplica) sim.replica(index);
  }

  /** Runs until every client is done, then checks the histories of {@code correct}. */
  static void runAndCheck(Simulation<VrMessage> sim, ChainApp[] apps, Set<Integer> correct) {
    RunStatus status = sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(status)
        .as("seed %d: %s", sim.seed(), sim.traceTail(30))
        .isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofMillis(300)); // backups learn the last commits from COMMIT heartbeats
    List<Execution> executions =
        sim.executions().stream().filter(e -> correct.contains(e.replica())).toList();
    assertThat(Checks.agreement(executions)).isEmpty();
    assertThat(Checks.exactlyOnce(executions)).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions())).isEmpty();
    assertThat(Checks.allCompleted(sim.history())).isEmpty();
    int first = correct.iterator().next();
    for (int i : correct) {
      assertThat(replica(sim, i).executed())
          .as("replica %d executed", i)
          .isEqualTo(replica(sim, first).executed());
      assertThat(apps[i].chain()).as("replica %d's history", i).isEqualTo(apps[first].chain());
    }
  }

  static Set<Integer> all(int n) {
    Set<Integer> all = new HashSet<>();
    for (int i = 0; i < n; i++) all.add(i);
    return all;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void normalCaseWithBatchingAndCheckpoints(long seed) {
    ChainApp[] apps = new ChainApp[3];
    List<String> prepares = new ArrayList<>();
    Simulation<VrMessage> sim =
        builder(seed, apps)
            .clients(8)
            .traceSink(
                line -> {
                  if (line.contains(" send ") && line.contains("Prepare[")) prepares.add(line);
                })
            .build();
    runAndCheck(sim, apps, all(3));
    for (int i = 0; i < 3; i++) {
      assertThat(replica(sim, i).viewNumber()).isZero();
      assertThat(replica(sim, i).executed()).isGreaterThanOrEqualTo(8 * 40);
    }
    assertThat(prepares).as("batches of several requests").anyMatch(VrSimulationTest::isBatch);
    // VR §5.1: the log keeps two checkpoint intervals of ops (plus the pipeline), not all 320.
    assertThat(replica(sim, 0).log().size()).isLessThanOrEqualTo(2 * 8 + 8 * 8);
    assertThat(replica(sim, 0).checkpoints.latestOp()).isGreaterThan(8 * 40 - 8);
  }

  private static boolean isBatch(String prepareLine) {
    return prepareLine.indexOf("Request[") != prepareLine.lastIndexOf("Request[");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void dropsDuplicatesAndReordering(long seed) {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim =
        builder(seed, apps)
            .filter(new Drop(0.05))
            .filter(new Duplicate(0.05))
            .filter(new Reorder(0.2, Duration.ofMillis(10)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(3)))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 100, LIMIT);
    sim.heal(); // liveness needs the network back; safety held throughout
    runAndCheck(sim, apps, all(3));
    assertThat(replica(sim, 1).drops().get(VrReplica.DUPLICATE)).isPositive();
  }

  @Test
  void primaryCrashLeadsToAViewChangeAndProgress() {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim = builder(11, apps).build();
    sim.runUntil(() -> sim.completedOperations() >= 30, LIMIT);
    sim.crash(sim.replicaAddress(0), true);
    runAndCheck(sim, apps, Set.of(1, 2));
    for (int i = 1; i < 3; i++) assertThat(replica(sim, i).viewNumber()).isEqualTo(1);
    assertThat(replica(sim, 1).isPrimary()).isTrue();
  }

  @Test
  void twoViewChangesInARowWhenTheNextPrimaryIsDownToo() {
    ChainApp[] apps = new ChainApp[5];
    Simulation<VrMessage> sim = builder(12, apps).build();
    sim.runUntil(() -> sim.completedOperations() >= 30, LIMIT);
    sim.crash(sim.replicaAddress(0), true);
    sim.crash(sim.replicaAddress(1), true);
    runAndCheck(sim, apps, Set.of(2, 3, 4));
    for (int i = 2; i < 5; i++) assertThat(replica(sim, i).viewNumber()).isEqualTo(2);
  }

  /**
   * Replica 2 crashes losing its state and restarts: it recovers (§4.3: RECOVERY with a fresh
   * nonce, the primary's log, the snapshot below it) and serves again: with the primary crashed
   * next, the view change and every later commit need it.
   */
  @Test
  void aReplicaRestartedWithEmptyStateRecoversAndServesAgain() {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim = builder(21, apps).opsPerClient(80).build();
    Address restarted = sim.replicaAddress(2);
    sim.runUntil(() -> sim.completedOperations() >= 40, LIMIT);
    sim.crash(restarted, false);
    sim.runUntil(() -> sim.completedOperations() >= 100, LIMIT);
    sim.restart(restarted);
    assertThat(replica(sim, 2).status()).isEqualTo(Status.RECOVERING);
    sim.runUntil(() -> replica(sim, 2).status() == Status.NORMAL, LIMIT);
    sim.runUntil(() -> replica(sim, 2).executed() >= replica(sim, 0).executed(), LIMIT);
    assertThat(replica(sim, 2).checkpoints.latestOp()).as("state from a snapshot").isPositive();
    long before = sim.completedOperations();
    sim.crash(sim.replicaAddress(0), true);
    runAndCheck(sim, apps, Set.of(1, 2));
    assertThat(sim.completedOperations()).isGreaterThan(before);
    assertThat(replica(sim, 2).viewNumber()).isEqualTo(1);
  }

  /**
   * Primary 0 is cut off from the other replicas (not from the clients): it keeps taking requests
   * into its log, which never commit, while 1 and 2 move to view 1 and go on. When the partition
   * heals it learns of view 1, drops its uncommitted ops (§5.2) and executes only what view 1
   * committed.
   */
  @Test
  void aPartitionedOldPrimaryExecutesNothingTheNewViewLost() {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim = builder(31, apps).build();
    Address old = sim.replicaAddress(0);
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    sim.partition(Set.of(old), Set.of(sim.replicaAddress(1), sim.replicaAddress(2)));
    sim.runUntil(() -> sim.completedOperations() >= 80, LIMIT);
    VrReplica stale = replica(sim, 0);
    assertThat(stale.viewNumber()).isZero();
    assertThat(stale.log().lastOp())
        .as("ops the new view never saw")
        .isGreaterThan(stale.commitNumber());
    assertThat(replica(sim, 1).viewNumber()).isEqualTo(1);
    sim.heal();
    runAndCheck(sim, apps, all(3));
    assertThat(replica(sim, 0).viewNumber()).isEqualTo(1);
  }

  /**
   * A client table of two entries for four clients (the bound {@code Limits.CLIENTS_MAX} in
   * miniature): clients get evicted and some requests refused, every replica decides alike in op
   * order, the table never grows past its bound, and every operation completes exactly once.
   */
  @Test
  void aBoundedClientTableRefusesAlikeEverywhereAndStaysBounded() {
    ChainApp[] apps = new ChainApp[3];
    MutantProtocol<VrMessage> smallTable =
        MutantProtocol.of(Vr.INSTANCE, "a client table of 2")
            .withReplicas(setup -> new VrReplica(setup, Vr.PlantedBug.NONE, 2));
    List<String> refusals = new ArrayList<>();
    Simulation<VrMessage> sim =
        Simulation.builder(smallTable, 51)
            .traceSink(
                line -> {
                  if (line.contains(" send ") && line.matches(".*retryFrom=[1-9].*")) {
                    refusals.add(line);
                  }
                })
            .replicas(3, 1)
            .clients(4)
            .opsPerClient(30)
            .options(options())
            .app(replica -> apps[replica] = new ChainApp())
            .build();
    runAndCheck(sim, apps, all(3));
    for (int i = 0; i < 3; i++) {
      assertThat(replica(sim, i).execution.clientTableSize()).isLessThanOrEqualTo(2);
    }
    assertThat(refusals).as("requests refused, then sent again").isNotEmpty();
  }

  /**
   * A backup cut off across several checkpoints finds the ops it lacks truncated from every log: it
   * fetches a snapshot (chunk by chunk: the ballast makes several) and then the log above it.
   */
  @Test
  void aBackupBehindTheTruncatedLogCatchesUpFromASnapshot() {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim =
        builder(41, apps)
            .opsPerClient(60)
            .app(replica -> apps[replica] = new ChainApp(3 * SnapshotImage.CHUNK_BYTES))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 10, LIMIT);
    Address cut = sim.replicaAddress(2);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 2; i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partition(Set.of(cut), others);
    sim.runUntil(() -> sim.completedOperations() >= 120, LIMIT);
    assertThat(replica(sim, 0).log().start() - 1)
        .as("the primary's log starts past the cut-off backup's end")
        .isGreaterThan(replica(sim, 2).log().lastOp());
    sim.heal();
    runAndCheck(sim, apps, all(3));
    assertThat(replica(sim, 2).checkpoints.latestOp()).isPositive();
  }
}
