package oskr.protocol;

/**
 * Random numbers for protocol code, from the node's {@link Context}: seeded per node in the
 * simulator (a run is replayed from its seed), a secure source in the runtime (a recovery nonce
 * must not be guessable). Protocol code never makes a generator of its own.
 *
 * <p>Threading: like the context, only from the node's protocol thread.
 */
public interface Randomness {
  /** A uniformly distributed long. */
  long nextLong();

  /**
   * A uniformly distributed int in {@code [0, bound)}.
   *
   * @throws IllegalArgumentException if {@code bound <= 0}
   */
  int nextInt(int bound);

  /** True with probability one half. */
  default boolean nextBoolean() {
    return (nextLong() & 1) != 0;
  }
}
