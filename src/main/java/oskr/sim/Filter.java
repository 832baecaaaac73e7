package oskr.sim;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A network fault or behaviour: decides what happens to each packet. Filters form a chain in the
 * order they were added; each packet a filter passes on goes through the rest of the chain on its
 * own (so a copy made by {@link Duplicate} gets its own delay from a later {@link Delay}).
 *
 * <p>A filter must call {@link Outlet#pass} or {@link Outlet#drop} at least once per packet, and
 * must draw randomness only from {@link Outlet#random()}: the simulation's one seeded generator.
 */
@FunctionalInterface
public interface Filter {
  void apply(Packet packet, Outlet out);

  /** Where a filter sends its verdict on a packet. */
  interface Outlet {
    /** Passes a packet (the original, changed, or a copy) on to the next filter. */
    void pass(Packet packet);

    /** Drops the packet; the reason is counted in the network's drops and traced. */
    void drop(Packet packet, String reason);

    SplittableRandom random();

    /** Virtual nanoseconds since the start. */
    long now();
  }

  /** This filter for the packets {@code which} accepts; the others pass unchanged. */
  default Filter onlyIf(Predicate<Packet> which) {
    return new ScopedFilter(this, which);
  }

  /**
   * How the trace names {@code filter}: its own {@code toString} if it has one (records, the
   * filters here), else its place in the chain ({@code position}, or -1 if unknown). A lambda's
   * default {@code toString} carries an identity hash that changes between JVM runs and would make
   * equal runs hash differently.
   */
  static String label(Filter filter, int position) {
    if (filter instanceof Record || filter instanceof Rewrite || filter instanceof ScopedFilter) {
      return filter.toString();
    }
    try {
      if (filter.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
        return filter.toString();
      }
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("every class has toString", e);
    }
    return position < 0 ? "custom filter" : "filter #" + position;
  }

  /** Whether an event of probability {@code rate} happens this time. */
  static boolean chance(SplittableRandom random, double rate) {
    return rate > 0 && random.nextDouble() < rate;
  }

  /** A uniform draw in [0, bound]. */
  static long upTo(SplittableRandom random, long bound) {
    return bound <= 0 ? 0 : random.nextLong(bound + 1);
  }

  static double checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1))
      throw new IllegalArgumentException("rate must be in [0, 1]: " + rate);
    return rate;
  }
}
