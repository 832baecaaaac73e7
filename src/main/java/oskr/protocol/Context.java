package oskr.protocol;

import java.time.Duration;
import oskr.core.Address;

/**
 * Everything a protocol node may do to the world. Effects are queued, never re-entrant: a message
 * to self, a fired timer or a finished job arrives later as a new event on the node's thread.
 *
 * <p>Threading: called only from the node's protocol thread (the stage's stateful executor, or the
 * simulator's single thread). Never blocks.
 *
 * @param <M> the protocol's message type
 */
public interface Context<M> {
  /** This node's own address. */
  Address self();

  /** Sends to one address; best effort, like UDP. */
  void send(Address to, M message);

  /** Sends to replica {@code index} of the config. */
  void sendToReplica(int index, M message);

  /** Sends to every replica except this node. */
  void broadcast(M message);

  /**
   * Arms the timer {@code key} to fire once after {@code delay}, replacing an armed timer with the
   * same key. Cheap enough to call on every message (the runtime stores a deadline, it does not
   * schedule a task per call).
   */
  void setTimer(TimerKey key, Duration delay);

  /** Disarms {@code key}; a no-op when it is not armed. */
  void cancelTimer(TimerKey key);

  /**
   * Runs {@code job} on a stateless worker (signing, verifying, digesting) and later calls {@code
   * done} with its result on the protocol thread. The job must be a pure function of immutable
   * inputs; {@code done} re-checks whatever state may have moved on meanwhile (view, sequence).
   */
  <R> void submit(Job<R> job, JobDone<R> done);

  /**
   * Random numbers for this node: seeded in the simulator, from a secure source in the runtime (a
   * recovery nonce, a randomized timeout). Protocol code draws from nothing else.
   */
  Randomness random();
}
