package oskr.app.ycsb;

import java.util.SplittableRandom;

/**
 * YCSB's {@code ZipfianGenerator} (Gray et al., "Quickly Generating Billion-Record Synthetic
 * Databases", SIGMOD 1994): items {@code base .. base + items - 1}, item {@code base} the most
 * popular. Same constants and arithmetic as YCSB, including its incremental zeta when the item
 * count grows (the latest distribution) and its use of the original item count in {@code eta} then.
 *
 * <p>Deviation: YCSB draws from a thread-local {@code Random} seeded 1 (or the time); here every
 * draw takes the caller's seeded generator, so a run is reproducible. The constructor draws nothing
 * (YCSB's draws and discards one value).
 *
 * <p>Not thread-safe: each client stream holds its own copy ({@link #copy()}), which shares the
 * zeta sum computed once instead of summing {@code items} terms again.
 */
final class Zipfian {
  /** YCSB's {@code ZIPFIAN_CONSTANT}. */
  static final double THETA = 0.99;

  private final long items;
  private final long base;
  private final double theta;
  private final double zeta2theta;
  private final double alpha;
  private double zetan;
  private double eta;
  private long countForZeta;

  /** Items {@code min .. max} inclusive, theta 0.99. O(max - min) to sum zeta. */
  Zipfian(long min, long max) {
    this(min, max, THETA, zetaStatic(0, max - min + 1, THETA, 0));
  }

  /** Items {@code min .. max} with a precomputed zeta(items, theta). */
  Zipfian(long min, long max, double theta, double zetan) {
    if (max < min) throw new IllegalArgumentException("zipfian over no items");
    this.items = max - min + 1;
    this.base = min;
    this.theta = theta;
    this.zeta2theta = zetaStatic(0, 2, theta, 0);
    this.alpha = 1.0 / (1.0 - theta);
    this.zetan = zetan;
    this.countForZeta = items;
    this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
  }

  private Zipfian(Zipfian other) {
    this.items = other.items;
    this.base = other.base;
    this.theta = other.theta;
    this.zeta2theta = other.zeta2theta;
    this.alpha = other.alpha;
    this.zetan = other.zetan;
    this.eta = other.eta;
    this.countForZeta = other.countForZeta;
  }

  /** An independent generator with the same parameters, without summing zeta again. */
  Zipfian copy() {
    return new Zipfian(this);
  }

  /** YCSB's {@code zetastatic(st, n, theta, initialsum)}: adds the terms {@code st+1 .. n}. */
  static double zetaStatic(long st, long n, double theta, double initialSum) {
    double sum = initialSum;
    for (long i = st; i < n; i++) sum += 1 / Math.pow(i + 1, theta);
    return sum;
  }

  /** The next item over the generator's own item count. */
  long next(SplittableRandom random) {
    return next(items, random);
  }

  /**
   * YCSB's {@code nextLong(itemcount)}: the next item of {@code itemCount}; a larger count than
   * before extends zeta incrementally (a smaller one keeps it, as YCSB does by default).
   */
  long next(long itemCount, SplittableRandom random) {
    if (itemCount > countForZeta) {
      zetan = zetaStatic(countForZeta, itemCount, theta, zetan);
      countForZeta = itemCount;
      eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2theta / zetan);
    }
    double u = random.nextDouble();
    double uz = u * zetan;
    if (uz < 1.0) return base;
    if (uz < 1.0 + Math.pow(0.5, theta)) return base + 1;
    return base + (long) (itemCount * Math.pow(eta * u - eta + 1, alpha));
  }
}
