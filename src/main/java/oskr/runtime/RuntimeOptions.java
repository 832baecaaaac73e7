package oskr.runtime;

import java.time.Duration;
import oskr.protocol.ReplicaSetup;
import oskr.runtime.udp.Transport;

/**
 * How a node runs on real threads and sockets.
 *
 * @param workers stateless worker threads (signing, verifying, digesting, decoding), {@code -w}
 * @param dropRate the fraction of received datagrams dropped on purpose, for experiments
 * @param transport the kernel UDP implementation (docs/transport.md says which and why)
 * @param protocolSpin how long an idle protocol thread spins before it parks: zero parks at once
 *     and leaves the core to others; a few microseconds save wake-ups under load ({@link
 *     StageMode#THREAD} only)
 * @param stage how the node's stateful executor runs (docs/transport.md says which and why)
 * @param start how a replica comes up: fresh, or after losing its state ({@code --recovering})
 */
public record RuntimeOptions(
    int workers,
    double dropRate,
    Transport transport,
    Duration protocolSpin,
    StageMode stage,
    ReplicaSetup.Start start) {
  /** Where measurement put the idle strategy on a 2-core machine (docs/transport.md). */
  public static final Duration PROTOCOL_SPIN_DEFAULT = Duration.ZERO;

  public RuntimeOptions {
    if (workers < 1 || workers > 256) throw new IllegalArgumentException("workers must be 1..256");
    if (!(dropRate >= 0 && dropRate < 1))
      throw new IllegalArgumentException("drop rate must be in [0, 1)");
    if (transport == null) throw new IllegalArgumentException("no transport");
    if (protocolSpin.isNegative() || protocolSpin.compareTo(Duration.ofMillis(10)) > 0) {
      throw new IllegalArgumentException("protocol spin must be 0..10 ms");
    }
    if (stage == null) throw new IllegalArgumentException("no stage mode");
    if (start == null) throw new IllegalArgumentException("no start kind");
  }

  public RuntimeOptions(
      int workers, double dropRate, Transport transport, Duration protocolSpin, StageMode stage) {
    this(workers, dropRate, transport, protocolSpin, stage, ReplicaSetup.Start.FRESH);
  }

  /** The default stage mode. */
  public RuntimeOptions(int workers, double dropRate, Transport transport, Duration protocolSpin) {
    this(workers, dropRate, transport, protocolSpin, StageMode.DEFAULT);
  }

  /** The default transport, idle strategy and stage mode. */
  public RuntimeOptions(int workers, double dropRate) {
    this(workers, dropRate, Transport.DEFAULT, PROTOCOL_SPIN_DEFAULT, StageMode.DEFAULT);
  }

  public static RuntimeOptions defaults() {
    return new RuntimeOptions(1, 0);
  }

  public RuntimeOptions withWorkers(int workers) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }

  public RuntimeOptions withDropRate(double dropRate) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }

  public RuntimeOptions withTransport(Transport transport) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }

  public RuntimeOptions withProtocolSpin(Duration protocolSpin) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }

  public RuntimeOptions withStage(StageMode stage) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }

  public RuntimeOptions withStart(ReplicaSetup.Start start) {
    return new RuntimeOptions(workers, dropRate, transport, protocolSpin, stage, start);
  }
}
