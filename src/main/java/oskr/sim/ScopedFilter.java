package oskr.sim;

import java.util.function.Predicate;

/** A filter applied to the packets a predicate accepts; see {@link Filter#onlyIf}. */
record ScopedFilter(Filter inner, Predicate<Packet> which) implements Filter {
  @Override
  public void apply(Packet packet, Outlet out) {
    if (which.test(packet)) {
      inner.apply(packet, out);
    } else {
      out.pass(packet);
    }
  }

  /** Without the predicate: a lambda's text is not stable between JVM runs. */
  @Override
  public String toString() {
    return Filter.label(inner, -1) + " on some packets";
  }
}
