package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Sweeps double the client count until throughput stops rising. */
class SweepRuleTest {
  private static BenchResult run(int clients, double throughput) {
    return new BenchResult(
        new BenchResult.Cluster("vr", "none", 3, 1, OptionalInt.of(1), OptionalInt.of(100)),
        new BenchResult.Workload(clients, 2, 0, 1),
        new BenchResult.Outcome(1, Math.round(throughput), new BenchResult.Latency(1, 2, 3, 4)),
        new BenchResult.Host(2, "25", 50, OptionalDouble.empty()));
  }

  /** The counts a sweep runs against a system whose throughput at c clients is curve(c). */
  private static List<Integer> counts(
      SweepRule rule, java.util.function.IntToDoubleFunction curve) {
    List<BenchResult> runs = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (OptionalInt next = rule.next(runs); next.isPresent(); next = rule.next(runs)) {
      counts.add(next.getAsInt());
      runs.add(run(next.getAsInt(), curve.applyAsDouble(next.getAsInt())));
      assertThat(counts.size()).isLessThanOrEqualTo(rule.maxRuns());
    }
    return counts;
  }

  @Test
  void doublingStopsAtTheFirstCountThatBringsNoRise() {
    // Rises until 16 clients, flat after: 32 brings nothing, so the sweep ends there.
    assertThat(counts(SweepRule.FULL, c -> 1000.0 * Math.min(c, 16)))
        .containsExactly(1, 2, 4, 8, 16, 32);
  }

  @Test
  void aSystemThatKeepsScalingStopsAtTheMaximum() {
    assertThat(counts(SweepRule.FULL, c -> 1000.0 * c))
        .containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 512);
    assertThat(SweepRule.FULL.maxRuns()).isEqualTo(10);
  }

  @Test
  void theQuickSweepRunsOneEightAndSixtyFourClients() {
    assertThat(counts(SweepRule.QUICK, c -> 1000.0 * c)).containsExactly(1, 8, 64);
    assertThat(counts(SweepRule.QUICK, c -> 5000)).containsExactly(1, 8);
  }

  @Test
  void aRiseBelowTheThresholdEndsTheSweep() {
    // 3 % more than the best before is not enough for a 5 % rule.
    assertThat(counts(SweepRule.FULL, c -> c == 1 ? 1000 : 1030)).containsExactly(1, 2);
  }
}
