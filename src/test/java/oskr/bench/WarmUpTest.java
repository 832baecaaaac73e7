package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/** The adaptive warm-up against synthetic throughput curves on a virtual clock. */
class WarmUpTest {
  private static final WarmUp.Rule RULE = WarmUp.Rule.DEFAULT;

  /**
   * A closed loop whose throughput at second t is {@code curve(t)}, with ±2 % alternating noise.
   */
  private static WarmUp.Result run(DoubleUnaryOperator curve) throws InterruptedException {
    long[] nanos = {0};
    double[] completed = {0};
    int[] steps = {0};
    return WarmUp.await(
        RULE,
        () -> (long) completed[0],
        () -> nanos[0],
        duration -> {
          double second = nanos[0] / 1e9;
          double noise = steps[0]++ % 2 == 0 ? 1.02 : 0.98;
          completed[0] += curve.applyAsDouble(second) * noise * duration.toNanos() / 1e9;
          nanos[0] += duration.toNanos();
        });
  }

  @Test
  void aFlatRunIsWarmAfterTwoSpans() throws InterruptedException {
    WarmUp.Result flat = run(t -> 30_000);
    assertThat(flat.stable()).isTrue();
    assertThat(flat.took()).isEqualTo(Duration.ofSeconds(10));
    assertThat(flat.throughput()).isBetween(29_000.0, 31_000.0);
  }

  /** PBFT-like: the JIT keeps raising throughput for 35 s, from 14k to 27k, then it is flat. */
  @Test
  void aRunWhoseThroughputKeepsClimbingIsWarmLaterThanAFlatOne() throws InterruptedException {
    WarmUp.Result flat = run(t -> 27_000);
    WarmUp.Result climbing = run(t -> t < 35 ? 14_000 + 13_000 * t / 35 : 27_000);
    assertThat(climbing.stable()).isTrue();
    assertThat(climbing.took()).isGreaterThan(flat.took());
    assertThat(climbing.took()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(climbing.throughput()).isGreaterThan(0.95 * 27_000);
  }

  @Test
  void aRunThatNeverSettlesStopsAtTheCap() throws InterruptedException {
    WarmUp.Result wild = run(t -> ((long) t) % 3 == 0 ? 10_000 : 30_000);
    assertThat(wild.stable()).isFalse();
    assertThat(wild.took()).isEqualTo(RULE.cap());
    assertThat(wild.describe()).startsWith("warm-up: not stable after 90.0 s (the cap)");
  }

  @Test
  void nothingCompletingIsNeverWarm() {
    WarmUp warmUp = new WarmUp(RULE);
    for (int i = 0; i < 20; i++) assertThat(warmUp.add(0)).isFalse();
  }
}
