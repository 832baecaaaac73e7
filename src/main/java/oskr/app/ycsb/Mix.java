package oskr.app.ycsb;

import java.util.SplittableRandom;

/**
 * YCSB's operation chooser ({@code createOperationGenerator}, a {@code DiscreteGenerator}): each
 * kind with its proportion, normalised by their sum; kinds with proportion 0 never drawn.
 */
public record Mix(double read, double update, double insert, double scan, double readModifyWrite) {
  public Mix {
    double sum = read + update + insert + scan + readModifyWrite;
    if (!(sum > 0)) throw new IllegalArgumentException("all operation proportions are 0");
  }

  static Mix of(WorkloadProperties p) {
    return new Mix(
        p.fraction("readproportion", 0.95),
        p.fraction("updateproportion", 0.05),
        p.fraction("insertproportion", 0),
        p.fraction("scanproportion", 0),
        p.fraction("readmodifywriteproportion", 0));
  }

  /** The proportion of {@code kind}, normalised. */
  public double share(OpKind kind) {
    double weight =
        switch (kind) {
          case READ -> read;
          case UPDATE -> update;
          case INSERT -> insert;
          case SCAN -> scan;
          case READ_MODIFY_WRITE -> readModifyWrite;
        };
    return weight / (read + update + insert + scan + readModifyWrite);
  }

  /**
   * YCSB's {@code DiscreteGenerator.nextString}: walks the kinds in order with one uniform draw.
   */
  OpKind next(SplittableRandom random) {
    double value = random.nextDouble();
    OpKind last = OpKind.READ;
    for (OpKind kind : OpKind.values()) {
      double share = share(kind);
      if (share <= 0) continue;
      if (value < share) return kind;
      value -= share;
      last = kind;
    }
    return last; // rounding left value just above the last share
  }
}
