package oskr.sim;

import java.time.Duration;

/** Delays every packet by {@code base} plus a uniform jitter in [0, {@code jitter}]. */
public record Delay(Duration base, Duration jitter) implements Filter {
  public Delay {
    if (base.isNegative() || jitter.isNegative())
      throw new IllegalArgumentException("negative delay");
  }

  @Override
  public void apply(Packet packet, Outlet out) {
    out.pass(packet.delayedBy(base.toNanos() + Filter.upTo(out.random(), jitter.toNanos())));
  }
}
