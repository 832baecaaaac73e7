package oskr.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stateful executor of a node: one dedicated thread runs the node's events strictly one at a
 * time, in the order they were posted, and fires the node's {@link Timers}. When idle it spins for
 * {@code spinNanos}, then parks until the next timer or a post; a post unparks it only when it is
 * parked, so a busy thread costs its producers one queue insertion per event.
 *
 * <p>An exception escaping an event is a bug in the node (its state is suspect): the thread logs
 * it, records it as the {@link #failure()} and stops (fail-stop).
 */
final class ProtocolThread implements StatefulExecutor {
  private static final Logger log = LoggerFactory.getLogger(ProtocolThread.class);

  /** Events between two timer checks while the inbox never empties. */
  private static final int EVENTS_PER_TIMER_CHECK = 64;

  private final Thread thread;
  private final long spinNanos;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final Timers timers = new Timers();
  private volatile boolean running = true;
  private volatile boolean parked;
  private volatile Throwable failure;

  ProtocolThread(String name, Duration spin) {
    this.spinNanos = spin.toNanos();
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
  }

  @Override
  public void start() {
    thread.start();
  }

  Thread thread() {
    return thread;
  }

  @Override
  public List<Thread> threads() {
    return List.of(thread);
  }

  @Override
  public boolean inStage() {
    return Thread.currentThread() == thread;
  }

  /** This thread's timers; use only from events. */
  @Override
  public Timers timers() {
    return timers;
  }

  /**
   * Queues a message for the node, or drops it if the inbox is full.
   *
   * @return false if dropped
   */
  @Override
  public boolean postMessage(Runnable event) {
    if (queuedMessages.incrementAndGet() > INBOX_MAX) {
      queuedMessages.decrementAndGet();
      return false;
    }
    post(
        () -> {
          queuedMessages.decrementAndGet();
          event.run();
        });
    return true;
  }

  /** Queues an event that must not be lost (a job's result, a control task). Any thread. */
  @Override
  public void post(Runnable event) {
    inbox.offer(event);
    if (parked) LockSupport.unpark(thread);
  }

  /**
   * Runs {@code query} on this thread and returns its result; runs it directly once the thread has
   * ended (nothing can race then).
   */
  @Override
  public <T> T call(Supplier<T> query, Duration timeout) throws TimeoutException {
    if (inStage()) return query.get();
    if (running && thread.isAlive()) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      post(() -> answer.complete(query.get()));
      try {
        return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (running && thread.isAlive()) throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    join();
    return query.get();
  }

  /** Stops the thread (fail-stop) because a node's event or job failed. Any thread. */
  @Override
  public void fail(Throwable cause) {
    if (failure == null) failure = cause;
    log.error("{}: a protocol event failed, the node stops", thread.getName(), cause);
    running = false;
    LockSupport.unpark(thread);
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  private void run() {
    long handled = 0;
    try {
      while (running) {
        Runnable event = inbox.poll();
        if (event != null) {
          event.run();
          if (++handled % EVENTS_PER_TIMER_CHECK == 0) timers.fireDue(System.nanoTime());
          continue;
        }
        timers.fireDue(System.nanoTime());
        idle();
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  private void idle() {
    if (spinNanos > 0) {
      long spinEnd = System.nanoTime() + spinNanos;
      while (inbox.isEmpty() && running && System.nanoTime() - spinEnd < 0) Thread.onSpinWait();
    }
    parked = true;
    try {
      // Re-check after publishing parked: a post either sees parked or its event is seen here.
      if (!inbox.isEmpty() || !running) return;
      long nextCheck = timers.nextCheck();
      if (nextCheck == Timers.NONE) {
        LockSupport.park(this);
      } else {
        long wait = nextCheck - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(this, wait);
      }
    } finally {
      parked = false;
    }
  }

  /** Stops the thread and waits for it; events still queued are discarded. Idempotent. */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(thread);
    join();
  }

  private void join() {
    if (inStage() || thread.getState() == Thread.State.NEW) return;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
