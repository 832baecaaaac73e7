package oskr.protocol.zyzzyva;

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
 * The harness's random seeds find a bug planted in Zyzzyva within the budget, and the real Zyzzyva
 * passes the same seeds; the test stays in the suite so the checkers cannot quietly weaken.
 *
 * <p>{@link Zyzzyva.PlantedBug#FAST_PATH_ONE_SHORT}: the client completes on 3f matching
 * speculative responses. With one replica Byzantine (it answers alike, then reports otherwise) or
 * forked, the request may be known to f correct replicas only, and a view change may drop it: a
 * client saw a result the replicas then forgot.
 */
class ZyzzyvaPlantedBugsTest {
  /** Random seeds the planted bug gets. */
  static final long BUDGET = 100;

  @ParameterizedTest
  @EnumSource(
      value = Zyzzyva.PlantedBug.class,
      names = {"FAST_PATH_ONE_SHORT"})
  void randomSeedsFindThePlantedBug(Zyzzyva.PlantedBug bug) {
    SimulationTarget<ZyzzyvaMessage> mutant =
        MutantProtocol.of(new Zyzzyva(bug), "planted bug " + bug).target();
    Optional<DstResult> failure = PlantedBugs.firstFailure(mutant, BUDGET);
    assertThat(failure).as(bug + " unnoticed for " + BUDGET + " random seeds").isPresent();
    DstResult found = failure.get();
    System.out.printf(
        "ZyzzyvaPlantedBugsTest: %s found by seed %d: %s%n",
        bug, found.seed(), found.violation().orElseThrow().property());
    assertThat(found.violation().orElseThrow().property())
        .as(found.report())
        .isIn(
            Property.AGREEMENT,
            Property.LINEARIZABILITY,
            Property.NO_NODE_FAILURE,
            Property.NO_FORGED_RESULT);
    realZyzzyvaPasses(found.seed());
  }

  private static void realZyzzyvaPasses(long lastSeed) {
    @SuppressWarnings("unchecked")
    SimulationTarget<ZyzzyvaMessage> real =
        (SimulationTarget<ZyzzyvaMessage>)
            ProtocolRegistry.findTarget(Zyzzyva.INSTANCE.name()).orElseThrow();
    for (long seed = 1; seed <= lastSeed; seed++) {
      DstResult result = DstRun.run(real, seed, line -> {});
      assertThat(result.passed()).as(result.report()).isTrue();
    }
  }
}
