package oskr.protocol;

/**
 * What a Byzantine replica does to the messages it sends. The generic behaviours work on frames and
 * fit every protocol; the others need a protocol's {@link ByzantineAdapter} because they must
 * understand its messages (and re-sign what they change with the replica's own key).
 */
public enum Behaviour {
  /** Sends nothing at all. */
  SILENT(true),
  /** Holds back every message by a seeded delay of up to a few hundred milliseconds. */
  DELAY(true),
  /** Sends old messages of its own again, now and then, alongside the new ones. */
  REPLAY(true),
  /** Sends only to a seed-chosen subset of the nodes it means to reach. */
  SUBSET(true),
  /**
   * Flips bits in what it sends, so the bytes no longer match their signature or authenticator (or
   * no longer decode).
   */
  CORRUPT(true),
  /** Tells different nodes different things in one step (a primary's conflicting proposals). */
  EQUIVOCATE(false),
  /** Sends a digest that does not match the content it stands for. */
  LIE_DIGEST(false),
  /** Claims a view it is not in. */
  FALSE_VIEW(false),
  /** Sends a well-formed message whose signature or authenticator is wrong, all else intact. */
  CORRUPT_AUTH(false),
  /**
   * Twins (Bano et al., OPODIS 2021): the replica runs twice with the same keys, each instance
   * talking with part of the others, so it double-votes and equivocates with correct code. Works
   * on any protocol: the simulator runs the second instance, no adapter needed.
   */
  TWINS(true);

  private final boolean generic;

  Behaviour(boolean generic) {
    this.generic = generic;
  }

  /** Whether it works on any protocol's frames, without an adapter. */
  public boolean generic() {
    return generic;
  }
}
