package oskr.sim;

/** Loses each packet with probability {@code rate}, like a lossy link. */
public record Drop(double rate) implements Filter {
  public static final String REASON = "drop";

  public Drop {
    Filter.checkRate(rate);
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    if (Filter.chance(out.random(), rate)) {
      out.drop(packet, REASON);
    } else {
      out.pass(packet);
    }
  }
}
