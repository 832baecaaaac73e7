package oskr.app.ycsb;

import java.util.SplittableRandom;

/**
 * Picks the record number of the next read, update, scan or read-modify-write: YCSB's request
 * distributions. Each client stream holds its own ({@link #copy()}); not thread-safe.
 */
sealed interface KeyChooser {
  /**
   * A record number; may exceed {@code frontier} (the highest record the client knows inserted), in
   * which case the caller draws again, as YCSB's {@code nextKeynum} does.
   */
  long next(SplittableRandom random, long frontier);

  KeyChooser copy();

  /** YCSB's {@code UniformLongGenerator(lb, ub)}: every record of the range alike. */
  record Uniform(long lowerBound, long upperBound) implements KeyChooser {
    @Override
    public long next(SplittableRandom random, long frontier) {
      return random.nextLong(lowerBound, upperBound + 1);
    }

    @Override
    public KeyChooser copy() {
      return this;
    }
  }

  /**
   * YCSB's {@code ScrambledZipfianGenerator(min, max)}: zipfian popularity over a huge item space
   * (10^16 items, YCSB's precomputed zeta), hashed with FNV onto {@code min .. max}, so popular
   * records are scattered over the key space.
   */
  final class ScrambledZipfian implements KeyChooser {
    static final double ZETAN = 26.46902820178302;
    static final long ITEM_COUNT = 10_000_000_000_000_000L;

    private final long min;
    private final long itemCount;
    private final Zipfian zipfian;

    ScrambledZipfian(long min, long max) {
      this(min, max - min + 1, new Zipfian(0, ITEM_COUNT, Zipfian.THETA, ZETAN));
    }

    private ScrambledZipfian(long min, long itemCount, Zipfian zipfian) {
      this.min = min;
      this.itemCount = itemCount;
      this.zipfian = zipfian;
    }

    @Override
    public long next(SplittableRandom random, long frontier) {
      // floorMod: Math.abs in fnvhash64 leaves Long.MIN_VALUE negative (YCSB's would go below min).
      return min + Math.floorMod(Fnv.hash64(zipfian.next(random)), itemCount);
    }

    @Override
    public KeyChooser copy() {
      return new ScrambledZipfian(min, itemCount, zipfian.copy());
    }
  }

  /**
   * YCSB's {@code SkewedLatestGenerator}: zipfian over the records inserted so far, the latest the
   * most popular: {@code max - zipfian.nextLong(max)}, where max is the insert frontier.
   */
  final class Latest implements KeyChooser {
    private final Zipfian zipfian;

    /** Over the {@code recordCount} records loaded, extended as inserts move the frontier. */
    Latest(long recordCount) {
      this(new Zipfian(0, recordCount - 1));
    }

    private Latest(Zipfian zipfian) {
      this.zipfian = zipfian;
    }

    @Override
    public long next(SplittableRandom random, long frontier) {
      return frontier - zipfian.next(frontier, random);
    }

    @Override
    public KeyChooser copy() {
      return new Latest(zipfian.copy());
    }
  }

  /**
   * YCSB's {@code HotspotIntegerGenerator}: a fraction {@code hotOpFraction} of the draws fall
   * uniformly on the first {@code hotSetFraction} of the records, the rest on the others.
   */
  record Hotspot(long lowerBound, long hotInterval, long coldInterval, double hotOpFraction)
      implements KeyChooser {
    static Hotspot of(long lowerBound, long upperBound, double hotSetFraction, double hotOps) {
      long interval = upperBound - lowerBound + 1;
      long hot = (long) (interval * hotSetFraction);
      return new Hotspot(lowerBound, hot, interval - hot, hotOps);
    }

    @Override
    public long next(SplittableRandom random, long frontier) {
      boolean hot = random.nextDouble() < hotOpFraction;
      if (hot && hotInterval > 0) return lowerBound + random.nextLong(hotInterval);
      if (coldInterval > 0) return lowerBound + hotInterval + random.nextLong(coldInterval);
      return lowerBound + random.nextLong(hotInterval);
    }

    @Override
    public KeyChooser copy() {
      return this;
    }
  }
}
