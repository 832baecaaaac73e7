package oskr.sim;

import java.time.Duration;

/**
 * Holds back a packet with probability {@code rate} by a uniform extra delay in [0, {@code
 * maxHold}], so later packets overtake it.
 */
public record Reorder(double rate, Duration maxHold) implements Filter {
  public Reorder {
    Filter.checkRate(rate);
    if (maxHold.isNegative()) throw new IllegalArgumentException("negative hold");
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    if (Filter.chance(out.random(), rate)) {
      out.pass(packet.delayedBy(Filter.upTo(out.random(), maxHold.toNanos())));
    } else {
      out.pass(packet);
    }
  }
}
