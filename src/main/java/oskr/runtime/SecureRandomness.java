package oskr.runtime;

import java.security.SecureRandom;
import oskr.protocol.Randomness;

/**
 * {@link Randomness} of a real node: from the platform's secure source, so a recovery nonce cannot
 * be guessed by a peer. One per node, used on its protocol thread.
 */
final class SecureRandomness implements Randomness {
  private final SecureRandom random = new SecureRandom();

  @Override
  public long nextLong() {
    return random.nextLong();
  }

  @Override
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
