package oskr.sim.dst;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import oskr.core.Address;

/** One fault of a scenario with a start and an end inside the fault phase. */
public sealed interface Episode {
  Duration start();

  Duration end();

  /** Links between the sides are cut (one way: only from {@code sideA} to {@code sideB}). */
  record Cut(Duration start, Duration end, Set<Address> sideA, Set<Address> sideB, boolean oneWay)
      implements Episode {
    public Cut {
      sideA = Set.copyOf(sideA);
      sideB = Set.copyOf(sideB);
    }

    @Override
    public String toString() {
      return "partition "
          + new TreeSet<>(sideA)
          + (oneWay ? " -> " : " <-> ")
          + new TreeSet<>(sideB)
          + " "
          + interval(start, end);
    }
  }

  /** The node stops (a crash that keeps its state, timers and jobs) and resumes at the end. */
  record Pause(Duration start, Duration end, Address node) implements Episode {
    @Override
    public String toString() {
      return "pause " + node + " " + interval(start, end);
    }
  }

  /** The node crashes losing its volatile state and restarts afresh at the end. */
  record Amnesia(Duration start, Duration end, Address node) implements Episode {
    @Override
    public String toString() {
      return "crash losing state " + node + " " + interval(start, end);
    }
  }

  static String interval(Duration start, Duration end) {
    return "[" + start.toMillis() + " ms, " + end.toMillis() + " ms)";
  }
}
