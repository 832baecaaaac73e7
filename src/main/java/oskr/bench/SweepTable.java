package oskr.bench;

import java.util.List;
import java.util.Locale;

/**
 * The seed's table: "maximum throughput" is the highest throughput over a sweep of client counts,
 * "minimum median latency" the median latency with one client (benchmark.md).
 */
public final class SweepTable {
  private SweepTable() {}

  public static String header() {
    return "|Protocol|Worker number|Batch size|Maximum throughput (K ops/sec)"
        + "|Minimum median latency (us)|\n|---|---:|---:|---:|---:|";
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
    double maxThroughput = 0;
    double minMedian = Double.POSITIVE_INFINITY;
    double oneClientMedian = Double.NaN;
    for (BenchResult run : sweep) {
      maxThroughput = Math.max(maxThroughput, run.outcome().throughputOpsPerSecond());
      double median = run.outcome().latency().p50Micros();
      minMedian = Math.min(minMedian, median);
      if (run.workload().clients() == 1) oneClientMedian = median;
    }
    double median = Double.isNaN(oneClientMedian) ? minMedian : oneClientMedian;
    return String.format(
        Locale.ROOT,
        "|%s|%s|%s|%.3f|%.3f|",
        first.cluster().protocol(),
        first.cluster().workers().isPresent() ? first.cluster().workers().getAsInt() : "?",
        first.cluster().batch().isPresent() ? first.cluster().batch().getAsInt() : "?",
        maxThroughput / 1e3,
        median);
  }
}
