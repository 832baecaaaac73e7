package oskr.sim.dst;

import java.util.List;

/**
 * A property a run broke, with what shows it.
 *
 * @param property which property, as {@link Property} names it
 * @param details one readable line per violation found
 * @param atNanos the virtual time the property first broke, or {@link #AT_END} when only the whole
 *     run shows it (linearizability, liveness)
 */
public record Violation(Property property, List<String> details, long atNanos) {
  public static final long AT_END = -1;

  public Violation {
    details = List.copyOf(details);
  }

  public Violation(Property property, List<String> details) {
    this(property, details, AT_END);
  }

  /** The properties checked after every run, in the order they are checked. */
  public enum Property {
    /** No node threw or failed an assertion: our own state went wrong. */
    NO_NODE_FAILURE("no node failure"),
    /** Correct replicas executed the same op at each position (histories are prefixes). */
    AGREEMENT("safety: agreement"),
    /** No replica executed a request twice. */
    EXACTLY_ONCE("safety: exactly once"),
    /** Every result a client accepted was produced by a correct replica for that op. */
    NO_FORGED_RESULT("safety: no forged result"),
    /** The client-observed KV history is linearizable. */
    LINEARIZABILITY("linearizability"),
    /** After healing, every outstanding request completed within the liveness bound. */
    LIVENESS("liveness");

    private final String text;

    Property(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
