package oskr.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * When a closed-loop run is warm: its throughput, read every {@link Rule#step()}, has stopped
 * rising. A fixed warm-up is wrong both ways: PBFT's hot path keeps being recompiled by the JIT for
 * 30 to 40 s, while Unreplicated is warm after a few seconds. So the warm-up ends once the last
 * {@link Rule#windows()} steps lie within ±{@link Rule#tolerance()} of their mean and that mean is
 * no higher than the mean of the steps before them by more than the tolerance (a slow climb does
 * not pass for a plateau), or at {@link Rule#cap()}.
 */
public final class WarmUp {
  /**
   * @param step how often throughput is read
   * @param windows how many steps make up each of the two spans compared
   * @param tolerance the relative spread and rise still counted as stable, for example 0.03
   * @param cap the longest warm-up, stable or not
   */
  public record Rule(Duration step, int windows, double tolerance, Duration cap) {
    /**
     * Steps of 1 s, spans of 5 s, ±5 % (a closed loop on two shared cores varies by a few percent
     * from second to second): at least 10 s, at most 90 s.
     */
    public static final Rule DEFAULT =
        new Rule(Duration.ofSeconds(1), 5, 0.05, Duration.ofSeconds(90));

    public Rule {
      if (step.isNegative() || step.isZero()) throw new IllegalArgumentException("step");
      if (windows < 2) throw new IllegalArgumentException("at least two windows a span");
      if (!(tolerance > 0 && tolerance < 1)) throw new IllegalArgumentException("tolerance");
      if (cap.compareTo(step.multipliedBy(2L * windows)) < 0) {
        throw new IllegalArgumentException("the cap leaves no room for two spans");
      }
    }
  }

  /**
   * How the warm-up ended.
   *
   * @param took how long it ran
   * @param stable whether throughput was stable, rather than the cap reached
   * @param throughput the mean throughput of the last span, operations a second
   */
  public record Result(Duration took, boolean stable, double throughput) {
    /** One line for the operator, for example "warm after 14.0 s (stable at 31.2k ops/s)". */
    public String describe() {
      String seconds = String.format("%.1f s", took.toNanos() / 1e9);
      String rate = String.format("%.1fk ops/s", throughput / 1e3);
      return stable
          ? "warm-up: stable after " + seconds + " at " + rate
          : "warm-up: not stable after " + seconds + " (the cap), last at " + rate;
    }
  }

  /** Waits for the next step; interruptible. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Rule rule;
  private final List<Double> throughputs = new ArrayList<>();

  public WarmUp(Rule rule) {
    this.rule = rule;
  }

  /**
   * Runs the warm-up: reads {@code completed} (operations completed so far) every step and returns
   * once warm or at the cap.
   */
  public static Result await(
      Rule rule, LongSupplier completed, LongSupplier nanoTime, Sleeper sleeper)
      throws InterruptedException {
    WarmUp warmUp = new WarmUp(rule);
    long start = nanoTime.getAsLong();
    long lastNanos = start;
    long lastCount = completed.getAsLong();
    while (true) {
      sleeper.sleep(rule.step());
      long now = nanoTime.getAsLong();
      long count = completed.getAsLong();
      double throughput = (count - lastCount) * 1e9 / Math.max(1, now - lastNanos);
      lastNanos = now;
      lastCount = count;
      boolean warm = warmUp.add(throughput);
      Duration took = Duration.ofNanos(now - start);
      if (warm || took.compareTo(rule.cap()) >= 0) {
        return new Result(took, warm, warmUp.lastSpanMean());
      }
    }
  }

  /** Adds one step's throughput; whether the run is now warm. */
  public boolean add(double throughput) {
    throughputs.add(throughput);
    int n = throughputs.size();
    int span = rule.windows();
    if (n < 2 * span) return false;
    List<Double> last = throughputs.subList(n - span, n);
    double lastMean = mean(last);
    double before = mean(throughputs.subList(n - 2 * span, n - span));
    if (lastMean <= 0) return false; // nothing completes yet: not warm, whatever the spread
    double spread = (max(last) - min(last)) / lastMean;
    double rise = (lastMean - before) / lastMean;
    return spread <= 2 * rule.tolerance() && rise <= rule.tolerance();
  }

  double lastSpanMean() {
    int n = throughputs.size();
    return n == 0 ? 0 : mean(throughputs.subList(Math.max(0, n - rule.windows()), n));
  }

  private static double mean(List<Double> values) {
    double sum = 0;
    for (double value : values) sum += value;
    return sum / values.size();
  }

  private static double max(List<Double> values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double value : values) max = Math.max(max, value);
    return max;
  }

  private static double min(List<Double> values) {
    double min = Double.POSITIVE_INFINITY;
    for (double value : values) min = Math.min(min, value);
    return min;
  }
}
