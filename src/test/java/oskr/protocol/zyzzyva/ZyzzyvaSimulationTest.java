package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.app.KvStore;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.Options;
import oskr.sim.Checks;
import oskr.sim.Drop;
import oskr.sim.Execution;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * The named scenarios of the issue on the simulator, seeded: each ends with agreement and
 * exactly-once among correct replicas (over what they committed), results accepted only if a
 * replica produced them, every operation completed, and, after the run drains, every accepted
 * result committed at the correct replicas.
 */
class ZyzzyvaSimulationTest {
  static final Duration LIMIT = Duration.ofSeconds(120);

  static Options options(Scheme scheme) {
    return Options.defaults()
        .withScheme(scheme)
        .withBatchSizeMax(4)
        .withSettings(ZyzzyvaSettings.DEFAULTS.withCheckpoints(4, 16));
  }

  static SimulationBuilder<ZyzzyvaMessage> builder(long seed, Scheme scheme) {
    return Simulation.builder(Zyzzyva.INSTANCE, seed)
        .replicas(4, 1)
        .clients(3)
        .opsPerClient(30)
        .options(options(scheme))
        .app(replica -> new KvStore());
  }

  static ZyzzyvaReplica replica(Simulation<ZyzzyvaMessage> sim, int index) {
    return (ZyzzyvaReplica) sim.replica(index);
  }

  static void runAndCheck(Simulation<ZyzzyvaMessage> sim, Set<Integer> correct) {
    RunStatus status = sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(status)
        .as("seed %d: %s", sim.seed(), sim.traceTail(40))
        .isEqualTo(RunStatus.SATISFIED);
    List<Execution> all = new ArrayList<>(sim.executions());
    all.addAll(sim.speculativeExecutions());
    assertThat(Checks.acceptedResultsExecuted(sim.history(), all)).isEmpty();
    assertThat(Checks.allCompleted(sim.history())).isEmpty();
    sim.runFor(Duration.ofSeconds(2)); // commit points after the last requests
    List<Execution> committed =
        sim.executions().stream().filter(e -> correct.contains(e.replica())).toList();
    assertThat(Checks.agreement(committed)).isEmpty();
    assertThat(Checks.exactlyOnce(committed)).isEmpty();
  }

  @Test
  void fastPathWithAllReplicasUp() {
    Simulation<ZyzzyvaMessage> sim = builder(1, Scheme.ED25519).build();
    runAndCheck(sim, Set.of(0, 1, 2, 3));
    assertThat(sim.completedOperations(Completion.Path.FAST)).isEqualTo(90);
    for (int i = 0; i < 4; i++) assertThat(replica(sim, i).view()).isZero();
  }

  @Test
  void slowPathWithOneReplicaSilent() {
    Simulation<ZyzzyvaMessage> sim = builder(2, Scheme.HMAC).build();
    sim.crash(sim.replicaAddress(3), true);
    runAndCheck(sim, Set.of(0, 1, 2));
    assertThat(sim.completedOperations(Completion.Path.SLOW)).isEqualTo(90);
    assertThat(sim.completedOperations(Completion.Path.FAST)).isZero();
    // Each client learns the silent replica on its first request, then stops waiting for it.
    assertThat(sim.completedAfterResend()).isLessThanOrEqualTo(3);
  }

  @Test
  void fastPathReturnsWhenTheSilentReplicaComesBack() {
    Simulation<ZyzzyvaMessage> sim = builder(5, Scheme.HMAC).opsPerClient(60).build();
    sim.crash(sim.replicaAddress(3), true);
    sim.runUntil(() -> sim.completedOperations() >= 60, LIMIT);
    assertThat(sim.completedOperations(Completion.Path.FAST)).isZero();
    sim.restart(sim.replicaAddress(3));
    runAndCheck(sim, Set.of(0, 1, 2, 3));
    // Replica 3 fetches the state of the others' stable checkpoint (its window was long passed),
    // fills the orders above it, and answers again: clients wait for it and complete fast.
    assertThat(sim.receiveDrops(sim.replicaAddress(3)).snapshot())
        .doesNotContainKey("rejected: sender address does not match");
    long fastAfterRestart = sim.completedOperations(Completion.Path.FAST);
    assertThat(fastAfterRestart).isGreaterThanOrEqualTo(90);
  }

  @Test
  void primaryCrashLeadsToAViewChange() {
    Simulation<ZyzzyvaMessage> sim = builder(3, Scheme.ED25519).build();
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    sim.crash(sim.replicaAddress(0), true);
    runAndCheck(sim, Set.of(1, 2, 3));
    for (int i = 1; i < 4; i++) assertThat(replica(sim, i).view()).isEqualTo(1);
  }

  @Test
  void lossyNetwork() {
    Simulation<ZyzzyvaMessage> sim = builder(4, Scheme.ED25519).filter(new Drop(0.05)).build();
    sim.runUntil(() -> sim.completedOperations() >= 45, LIMIT);
    sim.heal();
    runAndCheck(sim, Set.of(0, 1, 2, 3));
  }
}
