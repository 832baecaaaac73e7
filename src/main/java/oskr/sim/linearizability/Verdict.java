package oskr.sim.linearizability;

/**
 * What the checker concluded about a history. {@link Outcome#UNKNOWN} is not a pass: the search ran
 * out of its step budget before proving or refuting linearizability.
 *
 * @param report one line when linearizable; otherwise a readable account (the failing or unfinished
 *     partition, its keys and operations with times) to print in a failure report
 * @param partitions the number of independent partitions the history was split into
 * @param steps the search steps taken over all partitions
 */
public record Verdict(Outcome outcome, String report, int partitions, long steps) {
  public enum Outcome {
    LINEARIZABLE,
    NOT_LINEARIZABLE,
    UNKNOWN
  }

  public boolean isLinearizable() {
    return outcome == Outcome.LINEARIZABLE;
  }

  @Override
  public String toString() {
    return report;
  }
}
