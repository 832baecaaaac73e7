package oskr.bench;

import java.util.List;
import java.util.OptionalInt;

/**
 * Which client counts a sweep runs: multiplying by {@code factor} from {@code first} (doubling, in
 * a full evaluation) until throughput stops rising (the last count brought less than {@code
 * minRise} over the best before it) or {@code max} is reached. Past the knee a closed loop only
 * queues: latency grows while throughput stays flat.
 *
 * @param first the first client count
 * @param max the last client count the sweep may reach
 * @param minRise the relative gain a step must bring to go on, for example 0.05
 * @param factor how much each step multiplies the client count by
 */
public record SweepRule(int first, int max, double minRise, int factor) {
  /** From 1 to 512 clients, doubling while it brings 5 % more. */
  public static final SweepRule FULL = new SweepRule(1, 512, 0.05, 2);

  /** 1, 8 and 64 clients: the quick evaluation. */
  public static final SweepRule QUICK = new SweepRule(1, 64, 0.05, 8);

  public SweepRule {
    if (first < 1 || max < first) throw new IllegalArgumentException("1 <= first <= max");
    if (!(minRise >= 0 && minRise < 1)) throw new IllegalArgumentException("minRise in [0, 1)");
    if (factor < 2) throw new IllegalArgumentException("factor >= 2");
  }

  /**
   * The client count to run after the runs so far (in the order they ran), or empty when the sweep
   * is done.
   */
  public OptionalInt next(List<BenchResult> runs) {
    if (runs.isEmpty()) return OptionalInt.of(first);
    BenchResult last = runs.getLast();
    int clients = last.workload().clients();
    if (runs.size() >= 2) {
      double best = 0;
      for (BenchResult run : runs.subList(0, runs.size() - 1)) {
        best = Math.max(best, run.outcome().throughputOpsPerSecond());
      }
      if (last.outcome().throughputOpsPerSecond() < best * (1 + minRise))
        return OptionalInt.empty();
    }
    if (clients >= max) return OptionalInt.empty();
    return OptionalInt.of((int) Math.min(max, (long) factor * clients));
  }

  /** At most how many runs a sweep takes: for estimates of the time left. */
  public int maxRuns() {
    int runs = 1;
    for (long clients = first; clients < max; clients *= factor) runs++;
    return runs;
  }
}
