package oskr.sim.dst;

import java.io.PrintStream;
import oskr.protocol.SimulationTarget;

/**
 * {@code oskr simulate}: runs deterministic simulation testing of one protocol over a range of
 * seeds, or replays one seed. Everything printed to {@code out} depends only on the protocol and
 * the seeds, so a replay prints the same text every time; wall-clock times go to {@code err}.
 */
public final class DstRunner {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** A progress line after every this many seeds. */
  public static final long PROGRESS_EVERY = 100;

  private DstRunner() {}

  /**
   * Replays one seed: its scenario, every trace line if {@code fullTrace}, the summary, and the
   * failure report if a property broke.
   *
   * @return {@link #EXIT_OK} or {@link #EXIT_FAILED}
   */
  public static int replay(
      SimulationTarget<?> target, long seed, boolean fullTrace, PrintStream out) {
    Scenario scenario = Scenario.draw(target, seed);
    scenario.describe().forEach(out::println);
    DstResult result = DstRun.run(target, scenario, fullTrace ? out::println : line -> {});
    if (result.passed()) {
      out.println(result.summary());
      return EXIT_OK;
    }
    out.println(result.report());
    return EXIT_FAILED;
  }

  /**
   * Runs {@code count} seeds from {@code first}, with a progress line every {@link
   * #PROGRESS_EVERY}; stops at the first failure and prints its report.
   *
   * @param err sees the wall-clock time taken, which would make {@code out} differ between runs
   * @return {@link #EXIT_OK} if every seed passed, else {@link #EXIT_FAILED}
   */
  public static int range(
      SimulationTarget<?> target, long first, long count, PrintStream out, PrintStream err) {
    if (count < 1) throw new IllegalArgumentException("count must be positive");
    out.println(
        "simulation testing "
            + target.name()
            + " ("
            + target.faultModel()
            + "): "
            + count
            + " seeds from "
            + first);
    long started = System.nanoTime();
    for (long i = 0; i < count; i++) {
      long seed = first + i;
      DstResult result = DstRun.run(target, seed, line -> {});
      if (!result.passed()) {
        out.println(result.report());
        out.println(i + " seeds passed before seed " + seed + " failed");
        elapsed(err, started, i + 1);
        return EXIT_FAILED;
      }
      if ((i + 1) % PROGRESS_EVERY == 0 && i + 1 < count) {
        out.println("  " + (i + 1) + " of " + count + " seeds passed, last " + seed);
      }
    }
    out.println("all " + count + " seeds passed (" + first + " to " + (first + count - 1) + ")");
    elapsed(err, started, count);
    return EXIT_OK;
  }

  private static void elapsed(PrintStream err, long started, long seeds) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    err.println(seeds + " seeds in " + millis + " ms wall-clock time");
  }
}
