package oskr.sim;

/** Why a call to {@link Simulation#runUntil} or {@link Scheduler#run} returned. */
public enum RunStatus {
  /** The condition became true. */
  SATISFIED,
  /** The virtual-time limit came first; the clock stands at the limit. */
  TIME_LIMIT,
  /** The simulation ran its maximum number of events; it runs no more. */
  EVENT_LIMIT,
  /** No event is left to run, so the condition can never change; the clock stands at the limit. */
  IDLE
}
