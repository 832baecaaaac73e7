package oskr.sim.dst;

import java.util.Optional;
import java.util.function.LongFunction;
import oskr.protocol.SimulationTarget;

/** Runs seeds until a planted bug shows, within a fixed budget. */
public final class PlantedBugs {
  private PlantedBugs() {}

  /** The first failing result among seeds 1..budget, or empty if every seed passed. */
  public static Optional<DstResult> firstFailure(long budget, LongFunction<DstResult> run) {
    for (long seed = 1; seed <= budget; seed++) {
      DstResult result = run.apply(seed);
      if (!result.passed()) return Optional.of(result);
    }
    return Optional.empty();
  }

  /** The first failure of {@code target}'s own scenarios among seeds 1..budget. */
  public static <M> Optional<DstResult> firstFailure(SimulationTarget<M> target, long budget) {
    return firstFailure(budget, seed -> DstRun.run(target, seed, line -> {}));
  }
}
