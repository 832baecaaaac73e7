package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.crypto.Scheme;
import oskr.sim.Checks;
import oskr.sim.Execution;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;

/**
 * A replica crashes under steady load and restarts without its state, long after the others pruned
 * the blocks it would need to replay the chain from genesis: throughput after it rejoined must be
 * back to at least half of what it was before the crash (the views it leads no longer time out), it
 * installs a proven checkpoint's state and executes and replies again, and every replica, its new
 * incarnation included, executes the same history and ends in the same state.
 */
class HotStuffStateLossTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aReplicaRestartedWithoutStateRejoinsAtFullThroughput() {
    List<String> repliesOfZero = new ArrayList<>();
    Simulation<HotStuffMessage> sim =
        Simulation.builder(HotStuff.INSTANCE, 31)
            .replicas(4, 1)
            .clients(8)
            .opsPerClient(1_000_000)
            // The default retention, 1024 committed blocks: fewer than the run commits.
            .options(
                HotStuffSimulationTest.options(Scheme.ED25519)
                    .withSettings(HotStuffSettings.DEFAULTS))
            .maxEvents(Long.MAX_VALUE)
            .traceSink(
                line -> {
                  if (line.contains(" send ")
                      && line.contains("sim-replica-0:1 -> ")
                      && line.contains(": Reply[")) {
                    repliesOfZero.add(line);
                  }
                })
            .build();
    long beforeStart = completedAt(sim, SECOND);
    long beforeEnd = completedAt(sim, 2 * SECOND);
    sim.crash(sim.replicaAddress(0), false);
    sim.runFor(Duration.ofMillis(500));
    repliesOfZero.clear();
    sim.restart(sim.replicaAddress(0));
    long afterStart = completedAt(sim, 4 * SECOND);
    long afterEnd = completedAt(sim, 5 * SECOND);
    long before = beforeEnd - beforeStart;
    long after = afterEnd - afterStart;
    System.out.printf(
        "HotStuff state loss (seed 31): %d ops in the second before the crash, %d in the second"
            + " from 1.5 s after the restart; the restarted replica executed up to op %d (from a"
            + " transferred checkpoint), the others %d; it sent %d replies%n",
        before,
        after,
        replica(sim, 0).opNumber(),
        replica(sim, 1).opNumber(),
        repliesOfZero.size());
    assertThat(replica(sim, 0).committedView())
        .as("the restarted replica follows the committed chain")
        .isGreaterThan(replica(sim, 1).committedView() - 8);
    assertThat(before).as("throughput before the crash").isGreaterThan(100);
    assertThat(after)
        .as("ops in the window after the rejoin, vs %d before", before)
        .isGreaterThanOrEqualTo(before / 2);
    assertThat(replica(sim, 0).executes()).as("the restarted replica executes again").isTrue();
    assertThat(repliesOfZero).as("replies of the restarted replica").isNotEmpty();
    // Clients cut off, what is in flight commits everywhere: the states must be identical.
    Set<Address> clients = new HashSet<>();
    Set<Address> replicas = new HashSet<>();
    for (int i = 0; i < 8; i++) clients.add(sim.clientAddress(i));
    for (int i = 0; i < 4; i++) replicas.add(sim.replicaAddress(i));
    sim.partition(clients, replicas);
    sim.runFor(Duration.ofSeconds(2));
    HotStuffStateTransferTest.assertSameState(sim, Set.of(0, 1, 2, 3));
    assertThat(replica(sim, 0).opNumber()).isEqualTo(replica(sim, 1).opNumber());
    List<Execution> executions = sim.executions();
    assertThat(Checks.agreement(executions)).as("identical committed histories").isEmpty();
    assertThat(Checks.exactlyOnce(executions)).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), executions)).isEmpty();
  }

  /**
   * The rule of the recovery: a replica restarted without its state neither votes nor proposes
   * until n-f other replicas answered it. With replica 3 cut off, only two can, so replica 0 sends
   * no vote (and nothing commits, as two replicas make no quorum); once 3 is back, it votes again
   * and every client completes.
   */
  @Test
  void aRestartedReplicaVotesOnlyOnceNMinusFOthersAnswered() {
    List<String> votesOfZero = new ArrayList<>();
    Simulation<HotStuffMessage> sim =
        HotStuffSimulationTest.builder(32)
            .opsPerClient(60)
            .traceSink(
                line -> {
                  if (line.contains(" send ")
                      && line.contains("sim-replica-0:1 -> ")
                      && line.contains(": Vote[")) {
                    votesOfZero.add(line);
                  }
                })
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 20, HotStuffSimulationTest.LIMIT);
    sim.crash(sim.replicaAddress(0), false);
    Address cut = sim.replicaAddress(3);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 3; i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partition(Set.of(cut), others);
    sim.runFor(Duration.ofMillis(100));
    sim.restart(sim.replicaAddress(0));
    votesOfZero.clear();
    long completed = sim.completedOperations();
    sim.runFor(Duration.ofSeconds(2));
    assertThat(votesOfZero).as("votes of the recovering replica with two answers").isEmpty();
    assertThat(sim.completedOperations()).as("no quorum without it").isEqualTo(completed);
    sim.heal();
    HotStuffSimulationTest.runAndCheck(sim, Set.of(1, 2, 3));
    assertThat(votesOfZero).as("votes once the third replica answered").isNotEmpty();
    assertThat(Checks.agreement(sim.executions())).isEmpty();
  }

  /** Runs until simulated time {@code nanos} and returns the operations completed by then. */
  private static long completedAt(Simulation<HotStuffMessage> sim, long nanos) {
    RunStatus status = sim.runFor(Duration.ofNanos(nanos - sim.nowNanos()));
    assertThat(status).as(sim.traceTail(20)).isEqualTo(RunStatus.TIME_LIMIT);
    return sim.completedOperations();
  }

  private static HotStuffReplica replica(Simulation<HotStuffMessage> sim, int index) {
    return HotStuffSimulationTest.replica(sim, index);
  }
}
