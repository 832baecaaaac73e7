package oskr.sim;

import java.time.Duration;

/**
 * The network's own one-way latency: every copy of every packet takes {@code base} plus a uniform
 * jitter in [0, {@code jitter}], on top of what filters add. Jitter alone already reorders packets
 * that are sent close together.
 */
public record Latency(Duration base, Duration jitter) {
  public static final Latency DEFAULT =
      new Latency(Duration.ofNanos(500_000), Duration.ofNanos(500_000));

  public Latency {
    if (base.isNegative() || jitter.isNegative())
      throw new IllegalArgumentException("negative latency");
  }
}
