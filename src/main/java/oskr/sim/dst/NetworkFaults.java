package oskr.sim.dst;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Filter;
import oskr.sim.Reorder;

/**
 * The lossy-network faults of a scenario's fault phase, on every link; a zero turns one off.
 *
 * @param reorder the share of packets held back, each by up to {@code reorderHold}
 * @param delayJitter every packet's extra delay is uniform in [0, delayJitter]
 */
public record NetworkFaults(
    double drop, double duplicate, double reorder, Duration reorderHold, Duration delayJitter) {
  public static final NetworkFaults NONE = new NetworkFaults(0, 0, 0, Duration.ZERO, Duration.ZERO);

  /** Each fault on with probability one half, at a seeded strength. */
  static NetworkFaults draw(SplittableRandom random) {
    double drop = random.nextBoolean() ? rate(random, 0.01, 0.3) : 0;
    double duplicate = random.nextBoolean() ? rate(random, 0.01, 0.3) : 0;
    boolean reorders = random.nextBoolean();
    double reorder = reorders ? rate(random, 0.05, 0.5) : 0;
    Duration hold = reorders ? Duration.ofMillis(1 + random.nextInt(30)) : Duration.ZERO;
    Duration jitter =
        random.nextBoolean() ? Duration.ofMillis(1 + random.nextInt(10)) : Duration.ZERO;
    return new NetworkFaults(drop, duplicate, reorder, hold, jitter);
  }

  /** A rate in [low, high), rounded to three decimals so the description shows it exactly. */
  private static double rate(SplittableRandom random, double low, double high) {
    return Math.round(random.nextDouble(low, high) * 1000) / 1000.0;
  }

  /** The filters, in chain order; none for a fault that is off. */
  List<Filter> filters() {
    List<Filter> filters = new ArrayList<>();
    if (drop > 0) filters.add(new Drop(drop));
    if (duplicate > 0) filters.add(new Duplicate(duplicate));
    if (reorder > 0) filters.add(new Reorder(reorder, reorderHold));
    if (!delayJitter.isZero()) filters.add(new Delay(Duration.ZERO, delayJitter));
    return filters;
  }

  @Override
  public String toString() {
    if (equals(NONE)) return "no network faults";
    return String.format(
        Locale.ROOT,
        "drop %.3f, duplicate %.3f, reorder %.3f (hold up to %d ms), delay jitter %d ms",
        drop,
        duplicate,
        reorder,
        reorderHold.toMillis(),
        delayJitter.toMillis());
  }
}
