package oskr.app.ycsb;

import java.util.SplittableRandom;

/**
 * Field lengths and scan lengths: YCSB's constant, uniform ({@code UniformLongGenerator(min, max)})
 * and zipfian ({@code ZipfianGenerator(min, max)}, favouring short ones) distributions. Each client
 * stream holds its own ({@link #copy()}).
 */
sealed interface LengthChooser {
  int next(SplittableRandom random);

  LengthChooser copy();

  static LengthChooser of(String distribution, int min, int max) {
    return switch (distribution) {
      case "constant" -> new Constant(max);
      case "uniform" -> new Uniform(min, max);
      case "zipfian" -> new Zipf(new Zipfian(min, max));
      default -> throw new IllegalArgumentException("unknown distribution " + distribution);
    };
  }

  record Constant(int length) implements LengthChooser {
    @Override
    public int next(SplittableRandom random) {
      return length;
    }

    @Override
    public LengthChooser copy() {
      return this;
    }
  }

  record Uniform(int min, int max) implements LengthChooser {
    @Override
    public int next(SplittableRandom random) {
      return random.nextInt(min, max + 1);
    }

    @Override
    public LengthChooser copy() {
      return this;
    }
  }

  final class Zipf implements LengthChooser {
    private final Zipfian zipfian;

    Zipf(Zipfian zipfian) {
      this.zipfian = zipfian;
    }

    @Override
    public int next(SplittableRandom random) {
      return (int) zipfian.next(random);
    }

    @Override
    public LengthChooser copy() {
      return new Zipf(zipfian.copy());
    }
  }
}
