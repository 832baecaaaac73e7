package oskr.sim;

/** A node or a scheduled action failed during a run; the message names the seed and the trace. */
public final class SimulationFailure extends RuntimeException {
  SimulationFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
