package oskr.protocol;

import java.time.Duration;
import java.util.Optional;

/**
 * A protocol as deterministic simulation testing runs it: the protocol, the faults it promises to
 * survive, its hooks for protocol-specific Byzantine behaviours (if it is a BFT protocol), the
 * options its simulated replicas run with, and how long after the faults heal every outstanding
 * request must complete (virtual time). A protocol declares its targets in its own package ({@link
 * Protocol#simulationTargets()}); {@code oskr simulate -m NAME} and the DST suite run them by
 * {@link #name()}.
 */
public record SimulationTarget<M>(
    String name,
    Protocol<M> protocol,
    FaultModel faultModel,
    Optional<ByzantineAdapter<M>> adapter,
    Options options,
    Duration livenessBound) {
  /** Generous for a resend timeout of 200 ms; BFT view changes may need more. */
  public static final Duration DEFAULT_LIVENESS_BOUND = Duration.ofSeconds(10);

  public SimulationTarget {
    if (livenessBound.isNegative() || livenessBound.isZero()) {
      throw new IllegalArgumentException("liveness bound must be positive");
    }
  }

  public static <M> SimulationTarget<M> of(Protocol<M> protocol, FaultModel faultModel) {
    return new SimulationTarget<>(
        protocol.name(),
        protocol,
        faultModel,
        Optional.empty(),
        Options.defaults(),
        DEFAULT_LIVENESS_BOUND);
  }

  /** The same target under another name: the protocol with other options, say. */
  public SimulationTarget<M> named(String targetName) {
    return new SimulationTarget<>(
        targetName, protocol, faultModel, adapter, options, livenessBound);
  }

  public SimulationTarget<M> withAdapter(ByzantineAdapter<M> byzantineAdapter) {
    return new SimulationTarget<>(
        name, protocol, faultModel, Optional.of(byzantineAdapter), options, livenessBound);
  }

  public SimulationTarget<M> withOptions(Options runOptions) {
    return new SimulationTarget<>(name, protocol, faultModel, adapter, runOptions, livenessBound);
  }

  public SimulationTarget<M> withLivenessBound(Duration bound) {
    return new SimulationTarget<>(name, protocol, faultModel, adapter, options, bound);
  }

  /** The same target under another protocol: a test's mutant with the original's fault model. */
  public <N> SimulationTarget<N> as(
      Protocol<N> mutant, Optional<ByzantineAdapter<N>> mutantAdapter) {
    return new SimulationTarget<>(
        mutant.name(), mutant, faultModel, mutantAdapter, options, livenessBound);
  }
}
