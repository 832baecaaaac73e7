package oskr.protocol.vr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;
import oskr.sim.dst.DstResult;
import oskr.sim.dst.DstRun;
import oskr.sim.dst.MutantProtocol;
import oskr.sim.dst.PlantedBugs;
import oskr.sim.dst.Violation.Property;

/**
 * The harness's random seeds find a bug planted in VR within the budget, and the real VR passes the
 * same seeds; the test stays in the suite so the checkers cannot quietly weaken.
 *
 * <p>{@link Vr.PlantedBug#VOTES_WHILE_RECOVERING}: a replica that lost its state comes back as if
 * fresh (normal in view 0, empty log) instead of running recovery (§4.3). It acknowledges PREPAREs
 * and votes in view changes having forgotten the ops it acknowledged before, so a view change made
 * with it can lose a committed op. The scenario generator's schedules aimed at a quorum (one
 * replica of the committing pair loses its state, the other is cut off) expose it: seed 4 is the
 * first to fail, as of writing.
 */
class VrPlantedBugsTest {
  /** Random seeds the planted bug gets. */
  static final long BUDGET = 50;

  @ParameterizedTest
  @EnumSource(
      value = Vr.PlantedBug.class,
      names = {"VOTES_WHILE_RECOVERING"})
  void randomSeedsFindThePlantedBug(Vr.PlantedBug bug) {
    SimulationTarget<VrMessage> mutant =
        MutantProtocol.of(new Vr(bug), "planted bug " + bug).target();
    Optional<DstResult> failure = PlantedBugs.firstFailure(mutant, BUDGET);
    assertThat(failure).as(bug + " unnoticed for " + BUDGET + " random seeds").isPresent();
    DstResult found = failure.get();
    System.out.printf(
        "VrPlantedBugsTest: %s found by seed %d: %s%n",
        bug, found.seed(), found.violation().orElseThrow().property());
    assertThat(found.violation().orElseThrow().property())
        .as(found.report())
        .isIn(Property.AGREEMENT, Property.LINEARIZABILITY, Property.NO_NODE_FAILURE);
    realVrPasses(found.seed());
  }

  /** The real VR passes every seed up to the one that caught the mutant. */
  private static void realVrPasses(long lastSeed) {
    @SuppressWarnings("unchecked")
    SimulationTarget<VrMessage> real =
        (SimulationTarget<VrMessage>) ProtocolRegistry.findTarget(Vr.INSTANCE.name()).orElseThrow();
    for (long seed = 1; seed <= lastSeed; seed++) {
      DstResult result = DstRun.run(real, seed, line -> {});
      assertThat(result.passed()).as(result.report()).isTrue();
    }
  }
}
