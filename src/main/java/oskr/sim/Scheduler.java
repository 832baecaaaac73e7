package oskr.sim;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The virtual clock and the single event queue of a simulation. Events run one at a time, in order
 * of (time, sequence): equal-time events run in the order they were scheduled, so a run depends
 * only on what was scheduled, never on hashing or threads. Time is in virtual nanoseconds from the
 * start of the run.
 *
 * <p>Threading: single-threaded; events scheduled by a running event run later, never inside it.
 */
public final class Scheduler {
  /** A scheduled action; {@link #cancel()} makes the scheduler skip it without counting it. */
  public static final class Event {
    private final long time;
    private final long sequence;
    private final Runnable action;
    private boolean cancelled;

    private Event(long time, long sequence, Runnable action) {
      this.time = time;
      this.sequence = sequence;
      this.action = action;
    }

    public long time() {
      return time;
    }

    public void cancel() {
      cancelled = true;
    }

    public boolean cancelled() {
      return cancelled;
    }
  }

  private static final Comparator<Event> ORDER =
      Comparator.<Event>comparingLong(event -> event.time)
          .thenComparingLong(event -> event.sequence);

  private final PriorityQueue<Event> queue = new PriorityQueue<>(ORDER);
  private final long eventsMax;
  private final int pendingMax;
  private long now;
  private long sequence;
  private long eventsRun;

  /**
   * @param eventsMax the most events this scheduler ever runs; past it every run stops
   * @param pendingMax the most events waiting at once (cancelled ones included): a runaway protocol
   *     fails loudly instead of eating the heap
   */
  public Scheduler(long eventsMax, int pendingMax) {
    if (eventsMax < 1 || pendingMax < 1)
      throw new IllegalArgumentException("limits must be positive");
    this.eventsMax = eventsMax;
    this.pendingMax = pendingMax;
  }

  /** Virtual nanoseconds since the start. */
  public long now() {
    return now;
  }

  /** Events run so far (cancelled events are not counted). */
  public long eventsRun() {
    return eventsRun;
  }

  public long eventsMax() {
    return eventsMax;
  }

  /** Events waiting, cancelled ones included. */
  public int pending() {
    return queue.size();
  }

  /** Schedules {@code action} at virtual time {@code time}, which must not be in the past. */
  public Event at(long time, Runnable action) {
    if (time < now) throw new IllegalArgumentException("time " + time + " is before now " + now);
    if (queue.size() >= pendingMax) {
      throw new IllegalStateException("more than " + pendingMax + " events pending at " + now);
    }
    Event event = new Event(time, sequence++, action);
    queue.add(event);
    return event;
  }

  /** Schedules {@code action} {@code delayNanos} from now (zero: after the events already due). */
  public Event after(long delayNanos, Runnable action) {
    if (delayNanos < 0) throw new IllegalArgumentException("negative delay " + delayNanos);
    return at(Math.addExact(now, delayNanos), action);
  }

  /**
   * Runs events until {@code condition} holds (checked before each event), the next event lies
   * after {@code deadline}, the event limit is reached, or no event is left.
   */
  public RunStatus run(BooleanSupplier condition, long deadline) {
    if (deadline < now) throw new IllegalArgumentException("deadline before now");
    while (true) {
      if (condition.getAsBoolean()) return RunStatus.SATISFIED;
      if (eventsRun >= eventsMax) return RunStatus.EVENT_LIMIT;
      Event next = nextLive();
      if (next == null) {
        now = deadline;
        return RunStatus.IDLE;
      }
      if (next.time > deadline) {
        now = deadline;
        return RunStatus.TIME_LIMIT;
      }
      queue.poll();
      now = next.time;
      eventsRun++;
      next.action.run();
    }
  }

  /** The earliest event not cancelled, left in the queue; cancelled ones before it are removed. */
  private Event nextLive() {
    Event next = queue.peek();
    while (next != null && next.cancelled) {
      queue.poll();
      next = queue.peek();
    }
    return next;
  }
}
