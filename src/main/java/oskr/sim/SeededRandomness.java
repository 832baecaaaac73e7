package oskr.sim;

import java.util.SplittableRandom;
import oskr.protocol.Randomness;

/** {@link Randomness} from a seeded generator of the simulation: a run replays from its seed. */
public final class SeededRandomness implements Randomness {
  private final SplittableRandom random;

  public SeededRandomness(SplittableRandom random) {
    this.random = random;
  }

  @Override
  public long nextLong() {
    return random.nextLong();
  }

  @Override
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  @Override
  public boolean nextBoolean() {
    return random.nextBoolean();
  }
}
