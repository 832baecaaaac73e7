package oskr.sim;

/** Delivers a second copy of a packet with probability {@code rate}. */
public record Duplicate(double rate) implements Filter {
  public Duplicate {
    Filter.checkRate(rate);
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    out.pass(packet);
    if (Filter.chance(out.random(), rate)) out.pass(packet);
  }
}
