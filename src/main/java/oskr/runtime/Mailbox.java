package oskr.runtime;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.runtime.udp.UdpLoop;

/**
 * The stateful executor without a thread of its own (the original Oskr's design, {@link
 * StageMode#INLINE}): a FIFO mailbox and an atomic owner state. A thread that posts while the
 * mailbox is idle becomes its owner and runs events on the spot (trampolining), its own first if
 * nothing waits; while it owns the mailbox, other posters only enqueue. An owner runs at most
 * {@link #DRAIN_MAX} events, then hands the rest to a worker loop (its own loop if it is a worker),
 * so a socket loop soon returns to its I/O. With one worker, a request is received, decoded,
 * executed and answered on one thread, without a wake-up.
 *
 * <p>Memory visibility. The node's state is touched by different threads over time, but only by the
 * owner, and every change of owner is a happens-before edge: an owner gives up by a volatile write
 * to {@code state} (release) that the next owner's successful compare-and-set reads (acquire); a
 * hand-off goes through a worker loop's task queue ({@code ConcurrentLinkedQueue}: offer
 * happens-before the poll that returns it); an event's own data reaches the owner the same way
 * through {@link #queue}. So every event sees everything earlier events wrote, as on one thread.
 *
 * <p>Timers: the owner publishes the earliest due-check of {@link Timers} after each drain (a heap
 * peek, no clock read); a timer thread parks until it and then posts one event that fires what is
 * due. An exception escaping an event stops the mailbox for good (fail-stop): later posts are
 * discarded and {@link #failure()} reports it.
 */
final class Mailbox implements StatefulExecutor {
  private static final Logger log = LoggerFactory.getLogger(Mailbox.class);

  /** Events one owner runs before it hands the rest to a worker loop. */
  static final int DRAIN_MAX = 64;

  /** How long {@link #close()} waits for a running event or a handed-off drain to finish. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private static final int IDLE = 0;
  private static final int OWNED = 1;
  private static final int STOPPED = 2;

  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  // OWNED by nobody until start(): events posted before wait in the queue.
  private final AtomicInteger state = new AtomicInteger(OWNED);
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final Worker[] workers;
  private final Timers timers = new Timers();
  private final Thread timerThread;

  /** The earliest timer check the timer thread waits for, or {@link Timers#NONE}. */
  private final AtomicLong wakeAt = new AtomicLong(Timers.NONE);

  private final Runnable fireTimers = this::fireTimers;
  private final Runnable continueDrain = this::continueDrain;
  // Owner only:
  private long publishedCheck = Timers.NONE;
  private boolean republish;
  // Written by each owner (itself, then null before it gives up); a non-owner can never read its
  // own thread here, so a plain field answers inStage() exactly.
  private Thread owner;
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile Throwable failure;

  /**
   * @param workers where long drains continue; at least one
   */
  Mailbox(String timerThreadName, Worker[] workers) {
    if (workers.length == 0) throw new IllegalArgumentException("a mailbox needs a worker");
    this.workers = workers.clone();
    this.timerThread =
        Thread.ofPlatform().name(timerThreadName).daemon().unstarted(this::runTimers);
  }

  @Override
  public void start() {
    if (!running || started) return;
    started = true;
    timerThread.start();
    owner = Thread.currentThread();
    drain(DRAIN_MAX);
  }

  @Override
  public boolean postMessage(Runnable event) {
    return submit(event, true);
  }

  @Override
  public void post(Runnable event) {
    submit(event, false);
  }

  /** Runs {@code event} now if the mailbox is idle and empty, else queues it (and maybe drains). */
  private boolean submit(Runnable event, boolean message) {
    if (!running) return true; // a stopped node discards everything
    if (tryAcquire()) {
      if (queue.isEmpty()) {
        run(event);
        drain(DRAIN_MAX - 1);
        return true;
      }
      boolean accepted = enqueue(event, message); // earlier events wait: this one goes last
      drain(DRAIN_MAX);
      return accepted;
    }
    boolean accepted = enqueue(event, message);
    if (tryAcquire()) drain(DRAIN_MAX); // the owner may have left before it saw our event
    return accepted;
  }

  private boolean enqueue(Runnable event, boolean message) {
    if (!message) {
      queue.offer(event);
      return true;
    }
    if (queuedMessages.incrementAndGet() > INBOX_MAX) {
      queuedMessages.decrementAndGet();
      return false;
    }
    queue.offer(
        () -> {
          queuedMessages.decrementAndGet();
          event.run();
        });
    return true;
  }

  private boolean tryAcquire() {
    if (state.get() != IDLE || !state.compareAndSet(IDLE, OWNED)) return false;
    owner = Thread.currentThread();
    return true;
  }

  /**
   * As the owner: runs up to {@code budget} queued events, then gives up ownership, or hands it to
   * a worker loop if events remain.
   */
  private void drain(int budget) {
    while (true) {
      while (budget > 0 && running) {
        Runnable event = queue.poll();
        if (event == null) break;
        run(event);
        budget--;
      }
      publishTimers();
      if (!running) {
        owner = null;
        state.set(STOPPED); // for good: close() and call() wait for this
        return;
      }
      if (budget == 0 && !queue.isEmpty()) {
        handOff();
        return;
      }
      owner = null;
      state.set(IDLE);
      // A poster that enqueued while we owned the mailbox may have failed to acquire it.
      if (queue.isEmpty() || !tryAcquire()) return;
    }
  }

  /** Keeps the mailbox OWNED and lets a worker loop continue the drain. */
  private void handOff() {
    owner = null;
    resumeLoop().execute(continueDrain);
  }

  private UdpLoop resumeLoop() {
    for (Worker worker : workers) if (worker.loop.inLoop()) return worker.loop;
    return workers[0].loop;
  }

  private void continueDrain() {
    owner = Thread.currentThread();
    drain(DRAIN_MAX);
  }

  private void run(Runnable event) {
    if (!running) return; // posted before a failure or close() but not yet run: discarded
    try {
      event.run();
    } catch (Throwable t) {
      fail(t);
    }
  }

  /**
   * As the owner: tells the timer thread about an earlier check, or that the check moved. Costs a
   * field read when no timer was armed earlier, cancelled-and-re-queued or fired (a view-change
   * timer re-armed later on every request changes no check).
   */
  private void publishTimers() {
    if (!timers.takeChecksChanged() && !republish) return;
    long next = timers.nextCheck();
    if (next == publishedCheck && !republish) return;
    republish = false;
    publishedCheck = next;
    long previous = wakeAt.getAndSet(next);
    if (next != Timers.NONE && (previous == Timers.NONE || next - previous < 0))
      LockSupport.unpark(timerThread);
  }

  /** An event: fires the due timers; the check that follows is always published. */
  private void fireTimers() {
    republish = true;
    timers.fireDue(System.nanoTime());
  }

  private void runTimers() {
    while (running) {
      long at = wakeAt.get();
      if (at == Timers.NONE) {
        LockSupport.park(this);
        continue;
      }
      long wait = at - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
        continue;
      }
      if (wakeAt.compareAndSet(at, Timers.NONE)) post(fireTimers);
    }
  }

  @Override
  public boolean inStage() {
    return owner == Thread.currentThread();
  }

  @Override
  public Timers timers() {
    return timers;
  }

  @Override
  public <T> T call(Supplier<T> query, Duration timeout) throws TimeoutException {
    if (inStage()) return query.get();
    if (running) {
      CompletableFuture<T> answer = new CompletableFuture<>();
      post(() -> answer.complete(query.get()));
      try {
        return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        if (running) throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimeoutException("interrupted");
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
    close();
    return query.get(); // the mailbox is ours for good: nothing can race
  }

  @Override
  public void fail(Throwable cause) {
    if (failure == null) failure = cause;
    log.error("{}: a protocol event failed, the node stops", timerThread.getName(), cause);
    running = false;
    LockSupport.unpark(timerThread);
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public List<Thread> threads() {
    return List.of(timerThread);
  }

  /**
   * Stops the mailbox: waits until no event runs (a running event finishes, a handed-off drain
   * stops at its next event), then owns it for good. Idempotent; from an event it only stops.
   */
  @Override
  public void close() {
    running = false;
    LockSupport.unpark(timerThread);
    if (inStage()) return;
    takeOverForGood();
    if (started && Thread.currentThread() != timerThread) join(timerThread);
  }

  private void takeOverForGood() {
    if (!started) {
      state.set(STOPPED); // OWNED by nobody since construction: nothing runs
      return;
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    while (true) {
      if (state.get() == STOPPED || state.compareAndSet(IDLE, STOPPED)) return;
      if (System.nanoTime() - deadline > 0) {
        log.error(
            "{}: an event still runs after {}; closing anyway", timerThread.getName(), CLOSE_WAIT);
        return;
      }
      LockSupport.parkNanos(this, 100_000); // an owner is finishing its event
    }
  }

  private static void join(Thread thread) {
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
