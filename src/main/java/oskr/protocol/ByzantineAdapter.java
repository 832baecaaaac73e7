package oskr.protocol;

import java.util.Set;
import oskr.core.Address;
import oskr.core.crypto.Crypto;

/**
 * A protocol's hooks for the Byzantine behaviours that must understand its messages: equivocation,
 * lying about digests, claiming a false view, corrupting an authenticator while keeping the rest of
 * the message. A BFT protocol declares one in its package, beside its simulation targets ({@link
 * SimulationTarget#withAdapter}); the scenario generator draws from {@link #behaviours()} besides
 * the generic ones. Lives in the contract so that a protocol package provides it without importing
 * the simulator.
 *
 * <p>Called on the simulation's thread, once per message the Byzantine replica sends; must draw
 * randomness only from {@code random} and be deterministic otherwise.
 *
 * @param <M> the protocol's message type
 */
public interface ByzantineAdapter<M> {
  /** The non-generic behaviours this adapter implements. */
  Set<Behaviour> behaviours();

  /**
   * What Byzantine replica {@code replica} sends to {@code to} instead of {@code message}, for a
   * {@code behaviour} of {@link #behaviours()}: {@code message} itself when the behaviour has
   * nothing to change in it (a reply when equivocating, say).
   *
   * @param crypto the Byzantine replica's own keys: what it changes, it may sign anew
   */
  M rewrite(
      Behaviour behaviour, M message, int replica, Address to, Crypto crypto, Randomness random);
}
