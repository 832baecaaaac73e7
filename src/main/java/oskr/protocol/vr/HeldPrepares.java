package oskr.protocol.vr;

import java.util.TreeMap;
import oskr.protocol.vr.VrMessage.Prepare;

/**
 * A backup's PREPAREs of its view that arrived before an earlier one (reordering): VR §4.1 step 4
 * takes PREPAREs in op order, so these wait, at most {@link #MAX}, until the gap closes (or the
 * replica catches up, §5.2).
 */
final class HeldPrepares {
  static final int MAX = 64;

  private final TreeMap<Long, Prepare> held = new TreeMap<>();

  /** Holds {@code m} (the longer of two with one first op); false if the buffer is full. */
  boolean hold(Prepare m) {
    if (held.size() >= MAX && !held.containsKey(m.firstOp())) return false;
    held.merge(m.firstOp(), m, (a, b) -> a.lastOp() >= b.lastOp() ? a : b);
    return true;
  }

  /** The next held PREPARE that continues a log ending at {@code lastOp}, or null; removes it. */
  Prepare next(long lastOp) {
    while (!held.isEmpty() && held.firstKey() <= lastOp + 1) {
      Prepare m = held.pollFirstEntry().getValue();
      if (m.lastOp() > lastOp) return m;
    }
    return null;
  }

  boolean isEmpty() {
    return held.isEmpty();
  }

  void clear() {
    held.clear();
  }

  /** Whether none would continue a log ending at {@code lastOp} (all are taken as soon as one). */
  boolean noneContinues(long lastOp) {
    return held.isEmpty() || held.firstKey() > lastOp + 1;
  }
}
