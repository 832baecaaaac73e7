package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import oskr.protocol.Behaviour;
import oskr.protocol.FaultModel;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;
import oskr.sim.dst.DstResult;
import oskr.sim.dst.DstRun;
import oskr.sim.dst.MutantProtocol;
import oskr.sim.dst.PlantedBugs;
import oskr.sim.dst.Scenario;
import oskr.sim.dst.Violation.Property;

/**
 * The harness finds bugs planted in Unreplicated, each within its seed budget; these tests stay in
 * the suite so the checkers cannot quietly weaken.
 */
class UnreplicatedPlantedBugsTest {
  /** Seeds each planted bug gets; each is found well within it. */
  static final long BUDGET = 40;

  @Test
  void aServerThatExecutesARetriedRequestAgainBreaksExactlyOnce() {
    SimulationTarget<UnreplicatedMessage> mutant =
        MutantProtocol.of(Unreplicated.PLAIN, "a server that executes retried requests again")
            .withReplicas(ForgetfulReplica::new)
            .target();
    DstResult failure = PlantedBugs.firstFailure(mutant, BUDGET).orElseThrow();
    assertThat(failure.violation().orElseThrow().property())
        .as(failure.report())
        .isEqualTo(Property.EXACTLY_ONCE);
    assertThat(failure.report())
        .contains("executed twice", "up to the violation at", "replay: oskr simulate -m");
    if (Boolean.getBoolean("dst.print")) System.out.println(failure.report());
  }

  @Test
  void aClientThatSkipsTheSignatureCheckAcceptsCorruptedReplies() {
    SimulationTarget<UnreplicatedMessage> mutant =
        MutantProtocol.of(Unreplicated.SIGNED, "a client that skips the reply signature check")
            .withVerify((message, from, config, crypto) -> {})
            .target();
    DstResult failure =
        PlantedBugs.firstFailure(
                BUDGET, seed -> withByzantineServer(mutant, seed, Behaviour.CORRUPT))
            .orElseThrow();
    assertThat(failure.violation().orElseThrow().property())
        .as(failure.report())
        .isIn(Property.NO_FORGED_RESULT, Property.LINEARIZABILITY);
  }

  @Test
  void theRealClientRejectsEveryCorruptedReplyAndFinishes() {
    SimulationTarget<?> signed = target(Unreplicated.SIGNED);
    for (long seed = 1; seed <= BUDGET; seed++) {
      DstResult result = withByzantineServer(signed, seed, Behaviour.CORRUPT);
      assertThat(result.passed()).as(result.report()).isTrue();
    }
  }

  @Test
  void aServerSigningLiesIsCaughtThoughNoClientCanTell() {
    SimulationTarget<UnreplicatedMessage> lying =
        SimulationTarget.of(Unreplicated.SIGNED, FaultModel.crash(0, false))
            .withAdapter(new UnreplicatedByzantineAdapter());
    Optional<DstResult> failure =
        PlantedBugs.firstFailure(
            BUDGET, seed -> withByzantineServer(lying, seed, Behaviour.EQUIVOCATE));
    assertThat(failure).isPresent();
    assertThat(failure.get().violation().orElseThrow().property())
        .as(failure.get().report())
        .isIn(Property.NO_FORGED_RESULT, Property.LINEARIZABILITY);
  }

  @Test
  void everySignatureCorruptedByTheAdapterIsRejectedSoOnlyLivenessSuffers() {
    SimulationTarget<UnreplicatedMessage> corrupting =
        SimulationTarget.of(Unreplicated.SIGNED, FaultModel.crash(0, false))
            .withAdapter(new UnreplicatedByzantineAdapter());
    for (long seed = 1; seed <= 5; seed++) {
      DstResult result = withByzantineServer(corrupting, seed, Behaviour.CORRUPT_AUTH);
      assertThat(result.violation().map(violation -> violation.property()))
          .as(result.report())
          .hasValue(Property.LIVENESS);
      assertThat(result.traceTail()).contains("rejected: bad reply signature");
    }
  }

  /** The seed's scenario with the server Byzantine: outside Unreplicated's fault model. */
  private static <M> DstResult withByzantineServer(
      SimulationTarget<M> target, long seed, Behaviour behaviour) {
    SortedMap<Integer, Behaviour> byzantine = new TreeMap<>();
    byzantine.put(0, behaviour);
    Scenario scenario = Scenario.draw(target, seed).withByzantine(byzantine);
    return DstRun.run(target, scenario, line -> {});
  }

  private static SimulationTarget<?> target(Unreplicated protocol) {
    return ProtocolRegistry.findTarget(protocol.name()).orElseThrow();
  }
}
