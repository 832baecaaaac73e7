package oskr.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The stateful half of the stage: runs a node's events (messages, fired timers, job results) one at
 * a time, strictly in the order they were posted, and owns the node's {@link Timers}. Whatever an
 * event writes is visible to every later event, whichever thread runs it. An exception escaping an
 * event stops the executor for good (fail-stop) and is reported by {@link #failure()}.
 * Implementations: {@link ProtocolThread} (a dedicated thread) and {@link Mailbox} (run by the
 * posting threads); {@link StageMode} chooses.
 */
interface StatefulExecutor {
  /** Messages queued for the node; past it, new messages are dropped (other events never are). */
  int INBOX_MAX = 1 << 16;

  String INBOX_FULL = "stage: protocol inbox full";

  /** Starts running events; events posted before are kept and run first, in order. */
  void start();

  /**
   * Posts a message for the node, or drops it if too many are queued. Any thread.
   *
   * @return false if dropped
   */
  boolean postMessage(Runnable event);

  /** Posts an event that must not be lost (a job's result, a control task). Any thread. */
  void post(Runnable event);

  /** Whether the caller is running one of this executor's events right now. */
  boolean inStage();

  /** The node's timers; use only from events. */
  Timers timers();

  /**
   * Runs {@code query} as an event and returns its result; runs it directly once the executor has
   * stopped (nothing can race then).
   *
   * @throws TimeoutException if the executor is busy past {@code timeout}
   */
  <T> T call(Supplier<T> query, Duration timeout) throws TimeoutException;

  /** Stops the executor (fail-stop) because a node's event or job failed. Any thread. */
  void fail(Throwable cause);

  /** Why the executor stopped, or null. */
  Throwable failure();

  /** The threads this executor owns (for CPU accounting); events may also run on others. */
  List<Thread> threads();

  /** Stops running events and returns once none runs; events still queued are discarded. */
  void close();

  /** The executor of {@code mode}; an inline one continues long drains on {@code workers}. */
  static StatefulExecutor create(
      StageMode mode, String name, Duration protocolSpin, Worker[] workers) {
    return switch (mode) {
      case THREAD -> new ProtocolThread(name + "-protocol", protocolSpin);
      case INLINE -> new Mailbox(name + "-timers", workers);
    };
  }
}
