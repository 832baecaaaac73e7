package oskr.protocol;

/**
 * The faults a protocol promises to survive, as the scenario generator reads them: what kind of
 * faults (crash or Byzantine), how many replicas may be faulty at once, and whether a crashed
 * replica may lose its volatile state. Pauses (a crash that keeps everything) and every network
 * fault are within every model: they are asynchrony, not faulty replicas.
 *
 * @param f the most replicas faulty at once: Byzantine, or crashed with their state lost
 * @param stateLoss whether a crashed replica may come back without its state (it must then recover
 *     it from the others)
 */
public record FaultModel(Tolerance tolerance, int f, boolean stateLoss) {
  /** Crash faults need {@code n = 2f+1} replicas, Byzantine ones {@code n = 3f+1}. */
  public enum Tolerance {
    CRASH,
    BYZANTINE
  }

  public FaultModel {
    if (f < 0) throw new IllegalArgumentException("negative f");
    if (stateLoss && f == 0) {
      throw new IllegalArgumentException("with f = 0 no replica may lose its state");
    }
  }

  public static FaultModel crash(int f, boolean stateLoss) {
    return new FaultModel(Tolerance.CRASH, f, stateLoss);
  }

  public static FaultModel byzantine(int f, boolean stateLoss) {
    return new FaultModel(Tolerance.BYZANTINE, f, stateLoss);
  }

  /** The replicas the protocol needs to tolerate {@link #f} faults of this kind. */
  public int n() {
    return tolerance == Tolerance.BYZANTINE ? 3 * f + 1 : 2 * f + 1;
  }

  /** The most replicas that may be Byzantine in a run. */
  public int byzantineMax() {
    return tolerance == Tolerance.BYZANTINE ? f : 0;
  }

  @Override
  public String toString() {
    return (tolerance == Tolerance.BYZANTINE ? "Byzantine" : "crash")
        + " faults, f = "
        + f
        + ", n = "
        + n()
        + (stateLoss ? ", state loss allowed" : ", no state loss");
  }
}
