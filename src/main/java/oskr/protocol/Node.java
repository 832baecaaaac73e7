package oskr.protocol;

import oskr.core.Address;

/**
 * A deterministic protocol state machine: the same state and the same events give the same effects.
 * Every entry point runs to completion on one thread and acts only through its {@link Context}. No
 * threads, clocks, sockets, randomness or static mutable state.
 */
public interface Node<M> {
  /**
   * The node may act: its context is attached. Called once, before any other event, when the node
   * starts, and again when it restarts after a crash (with its state kept or, for a replica, lost:
   * see {@link ReplicaSetup#start()}); timers died in the crash. A leader that proposes at once or
   * a pacemaker that arms its first timer does it here, never in its constructor.
   */
  default void onStart() {}

  /**
   * A message that was decoded and passed {@link Protocol#verify}: a handler never sees an
   * unverified replica message. {@code from} is the sender's transport address.
   */
  void onMessage(Address from, M message);

  /** A timer set with {@link Context#setTimer} fired. */
  void onTimer(TimerKey key);
}
