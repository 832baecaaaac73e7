package oskr.sim.dst;

import java.util.List;
import java.util.Optional;

/**
 * What one seed's run gave: its scenario, a summary, the first property it broke (if any) and the
 * tail of its trace, the events that led there.
 *
 * @param summary one line: outcome, operations, virtual time, events, trace hash
 * @param traceTail the last trace lines, oldest first
 */
public record DstResult(
    String protocol,
    long seed,
    List<String> scenario,
    String summary,
    Optional<Violation> violation,
    String traceHash,
    String traceTail) {
  public DstResult {
    scenario = List.copyOf(scenario);
  }

  public boolean passed() {
    return violation.isEmpty();
  }

  /** The failure report: seed, property, details, the trace tail and how to replay it. */
  public String report() {
    StringBuilder text = new StringBuilder();
    text.append("FAILED ").append(protocol).append(" seed ").append(seed);
    violation.ifPresent(v -> text.append(": ").append(v.property()));
    text.append('\n');
    violation.ifPresent(
        v -> v.details().forEach(line -> text.append("  ").append(line).append('\n')));
    for (String line : scenario) text.append(line).append('\n');
    text.append(summary).append('\n');
    text.append(traceTail).append('\n');
    text.append("replay: oskr simulate -m ").append(protocol).append(" --seed ").append(seed);
    return text.toString();
  }
}
