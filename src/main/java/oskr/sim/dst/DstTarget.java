package oskr.sim.dst;

import java.time.Duration;
import java.util.Optional;
import oskr.protocol.Options;
import oskr.protocol.Protocol;

/**
 * A protocol as deterministic simulation testing runs it: the protocol, the faults it promises to
 * survive, its hooks for protocol-specific Byzantine behaviours (if it is a BFT protocol), the
 * options its simulated replicas run with, and how long after the faults heal every outstanding
 * request must complete (virtual time).
 */
public record DstTarget<M>(
    String name,
    Protocol<M> protocol,
    FaultModel faultModel,
    Optional<ByzantineAdapter<M>> adapter,
    Options options,
    Duration livenessBound) {
  /** Generous for a resend timeout of 200 ms; BFT view changes may need more. */
  public static final Duration DEFAULT_LIVENESS_BOUND = Duration.ofSeconds(10);

  public DstTarget {
    if (livenessBound.isNegative() || livenessBound.isZero()) {
      throw new IllegalArgumentException("liveness bound must be positive");
    }
  }

  public static <M> DstTarget<M> of(Protocol<M> protocol, FaultModel faultModel) {
    return new DstTarget<>(
        protocol.name(),
        protocol,
        faultModel,
        Optional.empty(),
        Options.defaults(),
        DEFAULT_LIVENESS_BOUND);
  }

  /** The same target under another name: the protocol with other options, say. */
  public DstTarget<M> named(String targetName) {
    return new DstTarget<>(targetName, protocol, faultModel, adapter, options, livenessBound);
  }

  public DstTarget<M> withAdapter(ByzantineAdapter<M> byzantineAdapter) {
    return new DstTarget<>(
        name, protocol, faultModel, Optional.of(byzantineAdapter), options, livenessBound);
  }

  public DstTarget<M> withOptions(Options runOptions) {
    return new DstTarget<>(name, protocol, faultModel, adapter, runOptions, livenessBound);
  }

  public DstTarget<M> withLivenessBound(Duration bound) {
    return new DstTarget<>(name, protocol, faultModel, adapter, options, bound);
  }

  /** The same target under another protocol: a test's mutant with the original's fault model. */
  public <N> DstTarget<N> as(Protocol<N> mutant, Optional<ByzantineAdapter<N>> mutantAdapter) {
    return new DstTarget<>(mutant.name(), mutant, faultModel, mutantAdapter, options, livenessBound);
  }
}
