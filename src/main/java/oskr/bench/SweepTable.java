package oskr.bench;

import java.util.List;
import java.util.Locale;

/**
 * The results table of the original Oskr, plus p99: "maximum throughput" is the highest throughput
 * over a sweep of client counts (with its p99 latency), "minimum median latency" the median latency
 * with one client (benchmark.md).
 */
public final class SweepTable {
  private SweepTable() {}

  public static String header() {
    return "|Protocol|Worker number|Batch size|Maximum throughput (K ops/sec)"
        + "|Minimum median latency (us)|p99 at maximum throughput (us)|\n"
        + "|---|---:|---:|---:|---:|---:|";
  }

  /** The protocol as a table names it: with its authentication scheme where it has one. */
  public static String label(BenchResult run) {
    String auth = run.cluster().auth();
    return auth.equals("none") ? run.cluster().protocol() : run.cluster().protocol() + ", " + auth;
  }

  /**
   * The row of one protocol's sweep. Without a one-client run, the lowest median of the sweep
   * stands in for the minimum median latency.
   *
   * @throws IllegalArgumentException if {@code sweep} is empty
   */
  public static String row(List<BenchResult> sweep) {
    if (sweep.isEmpty()) throw new IllegalArgumentException("an empty sweep");
    BenchResult first = sweep.getFirst();
    BenchResult fastest = first;
    double minMedian = Double.POSITIVE_INFINITY;
    double oneClientMedian = Double.NaN;
    for (BenchResult run : sweep) {
      if (run.outcome().throughputOpsPerSecond() > fastest.outcome().throughputOpsPerSecond()) {
        fastest = run;
      }
      double median = run.outcome().latency().p50Micros();
      minMedian = Math.min(minMedian, median);
      if (run.workload().clients() == 1) oneClientMedian = median;
    }
    double median = Double.isNaN(oneClientMedian) ? minMedian : oneClientMedian;
    return String.format(
        Locale.ROOT,
        "|%s|%s|%s|%.3f (%d clients)|%.3f|%.1f|",
        label(first),
        first.cluster().workers().isPresent() ? first.cluster().workers().getAsInt() : "?",
        first.cluster().batch().isPresent() ? first.cluster().batch().getAsInt() : "?",
        fastest.outcome().throughputOpsPerSecond() / 1e3,
        fastest.workload().clients(),
        median,
        fastest.outcome().latency().p99Micros());
  }
}
