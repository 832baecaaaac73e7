package oskr.runtime;

import java.util.HashMap;
import java.util.PriorityQueue;
import oskr.protocol.TimerKey;

/**
 * The protocol timers of the nodes on one thread. Each key stores its deadline; a heap holds at
 * most one due-check per key. Re-arming a key to a later deadline (a view-change timer reset on
 * every request) only stores the new deadline: no allocation, no heap operation. When the check
 * comes due and the deadline has moved on, the key is re-queued once. Deadlines are {@link
 * System#nanoTime()} values, compared by difference. Confined to the owning thread.
 */
final class Timers {
  static final long NONE = Long.MAX_VALUE;

  /** Receives fired timers. */
  interface Target {
    void onTimer(TimerKey key);
  }

  private static final class Timer {
    final Target target;
    final TimerKey key;
    long deadline;
    boolean armed;
    long checkAt;
    boolean queued;

    Timer(Target target, TimerKey key) {
      this.target = target;
      this.key = key;
    }
  }

  private final PriorityQueue<Timer> checks =
      new PriorityQueue<>((a, b) -> Long.signum(a.checkAt - b.checkAt));
  private boolean checksChanged;

  /** One node's timers by key. */
  final class Node {
    private final Target target;
    private final HashMap<TimerKey, Timer> byKey = new HashMap<>();

    private Node(Target target) {
      this.target = target;
    }

    void set(TimerKey key, long deadline) {
      Timer timer = byKey.get(key);
      if (timer == null) {
        timer = new Timer(target, key);
        byKey.put(key, timer);
      }
      arm(timer, deadline);
    }

    void cancel(TimerKey key) {
      Timer timer = byKey.get(key);
      if (timer != null) timer.armed = false; // its queued check finds it disarmed
    }

    boolean armed(TimerKey key) {
      Timer timer = byKey.get(key);
      return timer != null && timer.armed;
    }
  }

  Node node(Target target) {
    return new Node(target);
  }

  private void arm(Timer timer, long deadline) {
    timer.deadline = deadline;
    timer.armed = true;
    if (!timer.queued) {
      timer.checkAt = deadline;
      timer.queued = true;
      checks.add(timer);
      checksChanged = true;
    } else if (deadline - timer.checkAt < 0) {
      checks.remove(timer); // rare: a timer moved earlier
      timer.checkAt = deadline;
      checks.add(timer);
      checksChanged = true;
    }
  }

  /**
   * Whether the queued checks changed since the last call (so {@link #nextCheck()} may have): lets
   * an owner that publishes the next check skip it when nothing changed.
   */
  boolean takeChecksChanged() {
    boolean changed = checksChanged;
    checksChanged = false;
    return changed;
  }

  /** When the next check is due, or {@link #NONE}. */
  long nextCheck() {
    Timer first = checks.peek();
    return first == null ? NONE : first.checkAt;
  }

  /**
   * Fires the armed timers whose deadline has passed, each disarmed before its callback. A timer
   * re-armed by a callback fires at the next call at the earliest, so a zero delay cannot spin.
   *
   * @return how many fired
   */
  int fireDue(long nowNanos) {
    int fired = 0;
    for (int budget = checks.size(); budget > 0; budget--) {
      Timer timer = checks.peek();
      if (timer == null || timer.checkAt - nowNanos > 0) break;
      checks.poll();
      checksChanged = true;
      timer.queued = false;
      if (!timer.armed) continue;
      if (timer.deadline - nowNanos > 0) {
        timer.checkAt = timer.deadline;
        timer.queued = true;
        checks.add(timer);
        continue;
      }
      timer.armed = false;
      fired++;
      timer.target.onTimer(timer.key);
    }
    return fired;
  }

  /** Due-checks queued (armed or stale), for tests. */
  int queuedChecks() {
    return checks.size();
  }
}
