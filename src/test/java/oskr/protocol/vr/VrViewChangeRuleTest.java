package oskr.protocol.vr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.Request;
import oskr.sim.Checks;
import oskr.sim.ClientOperation;
import oskr.sim.Partition;
import oskr.sim.Simulation;

/**
 * The log rule of a view change (VR §4.2 step 3): the log of the DO-VIEW-CHANGE with the largest
 * last normal view v', among those the longest. Taking the longest log regardless of v' ({@link
 * Vr.PlantedBug#LONGEST_LOG_WINS}) lets a deposed primary's stale ops replace an op a later view
 * committed; the scenario below shows it, and the real rule passes it.
 */
class VrViewChangeRuleTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  /** Seeds the scenario gets: the mutant fails at the first, as of writing. */
  private static final long BUDGET = 10;

  @Test
  void theDecisionRanksLogsByLastNormalViewBeforeLength() {
    ViewChanges votes = new ViewChanges(3, 1, 2);
    votes.begin(2);
    DoViewChange deposed = doViewChange(0, 5, 0); // view 0's primary, cut off: a longer log
    DoViewChange current = doViewChange(1, 3, 2); // normal in view 1, which committed op 3
    votes.addDoViewChange(deposed);
    votes.addDoViewChange(current);
    assertThat(votes.decide(false).log()).isEqualTo(current.log());
    assertThat(votes.decide(true).log()).as("the planted bug").isEqualTo(deposed.log());
    assertThat(votes.decide(false).commitNumber()).isEqualTo(3);
  }

  private static DoViewChange doViewChange(long lastNormalView, int ops, int replica) {
    List<Request> entries =
        java.util.stream.IntStream.rangeClosed(1, ops)
            .mapToObj(i -> new Request(replica, i, Bytes.utf8("v" + lastNormalView + "." + i)))
            .toList();
    LogSegment log = new LogSegment(1, entries);
    return new DoViewChange(2, lastNormalView, Math.min(ops, 3), log, replica);
  }

  @Test
  void aDeposedPrimarysLongerLogMustNotWinOverALaterView() {
    Optional<Long> failing = Optional.empty();
    for (long seed = 1; seed <= BUDGET && failing.isEmpty(); seed++) {
      if (!run(new Vr(Vr.PlantedBug.LONGEST_LOG_WINS), seed).isEmpty()) failing = Optional.of(seed);
    }
    assertThat(failing).as("the planted rule went unnoticed for " + BUDGET + " seeds").isPresent();
    System.out.printf(
        "VrViewChangeRuleTest: the longest-log rule fails at seed %d%n", failing.get());
    for (long seed = 1; seed <= failing.get(); seed++) {
      assertThat(run(Vr.INSTANCE, seed)).as("the real rule, seed " + seed).isEmpty();
    }
  }

  /**
   * Replica 0, view 0's primary, is cut off from replicas 1 and 2 together with clients 0 to 2,
   * whose requests it keeps taking into its log (never committed). Replicas 1 and 2 move to view 1
   * and commit one op of client 3 (which reaches only them) at an op number where 0 holds a stale
   * op. Then view 1's primary crashes and the partition heals: replica 2 starts view 2 and 0, which
   * never heard of view 1, joins with its longer log of view 0.
   *
   * @return the agreement violations (and clients done, or not, is the harness's business)
   */
  private static List<String> run(Vr protocol, long seed) {
    ChainApp[] apps = new ChainApp[3];
    Simulation<VrMessage> sim =
        Simulation.builder(protocol, seed)
            .replicas(3, 1)
            .clients(4)
            .opsPerClient(30)
            .options(VrSimulationTest.options())
            .app(replica -> apps[replica] = new ChainApp())
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    Set<Address> oldSide =
        Set.of(
            sim.replicaAddress(0),
            sim.clientAddress(0),
            sim.clientAddress(1),
            sim.clientAddress(2));
    Set<Address> newSide =
        Set.of(sim.replicaAddress(1), sim.replicaAddress(2), sim.clientAddress(3));
    Partition partition = sim.partition(oldSide, newSide);
    long client3Before = completedBy(sim, 3);
    sim.runUntil(
        () ->
            VrSimulationTest.replica(sim, 1).viewNumber() == 1
                && completedBy(sim, 3) > client3Before,
        LIMIT);
    sim.crash(sim.replicaAddress(1), true);
    sim.removeFilter(partition);
    sim.runUntil(sim::allClientsDone, LIMIT);
    return Checks.agreement(sim.executions());
  }

  private static long completedBy(Simulation<VrMessage> sim, int client) {
    return sim.history().stream()
        .filter(ClientOperation::isCompleted)
        .filter(operation -> operation.client() == client)
        .count();
  }
}
