package oskr.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import oskr.core.Bytes;
import oskr.protocol.Completion;
import oskr.runtime.ClientDriver;

/**
 * The closed loop of benchmark.md: every client sends its next operation (from an {@link OpStream})
 * as soon as the previous one completes; latencies go to a {@link LatencyRecorder}, and also to one
 * per op kind when the stream has kinds (YCSB's reads, updates, ...), with the count of ops that
 * did not succeed. Completions before {@link #startWindow()} are the warm-up and are discarded;
 * {@link #endWindow()} returns what completed in between, with the window's exact length.
 */
public final class ClosedLoopDriver implements ClientDriver {
  private final OpStream ops;
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final LatencyRecorder[] kindLatencies;
  private final LongAdder[] kindFailures;
  private final long[] kindFailuresAtStart;

  /** Completions by {@link Completion.Path}, and those that needed a resend, since the start. */
  private final LongAdder[] byPath = newAdders(Completion.Path.values().length);

  private final LongAdder resent = new LongAdder();
  private final Object windowLock = new Object();
  private long windowStartNanos = -1;
  private boolean windowEnded;

  /**
   * @param op the operation every client sends: empty for the 0/0 benchmark
   */
  public ClosedLoopDriver(Bytes op) {
    this(OpStream.constant(op));
  }

  public ClosedLoopDriver(OpStream ops) {
    this.ops = ops;
    int kinds = ops.kinds().size();
    this.kindLatencies = new LatencyRecorder[kinds];
    for (int i = 0; i < kinds; i++) kindLatencies[i] = new LatencyRecorder();
    this.kindFailures = newAdders(kinds);
    this.kindFailuresAtStart = new long[kinds];
  }

  @Override
  public Bytes nextOp(int client) {
    return ops.next(client);
  }

  @Override
  public boolean finished(int client) {
    return ops.finished(client);
  }

  @Override
  public void completed(int client, Bytes result, Completion completion, long latencyNanos) {
    latencies.record(latencyNanos);
    OpStream.Result outcome = ops.completed(client, result);
    if (outcome.kind() >= 0) {
      kindLatencies[outcome.kind()].record(latencyNanos);
      if (!outcome.succeeded()) kindFailures[outcome.kind()].increment();
    }
    byPath[completion.path().ordinal()].increment();
    if (completion.resends() > 0) resent.increment();
  }

  private static LongAdder[] newAdders(int count) {
    LongAdder[] adders = new LongAdder[count];
    for (int i = 0; i < count; i++) adders[i] = new LongAdder();
    return adders;
  }

  /** Operations completed since the driver started, warm-up included. */
  public long completedSoFar() {
    long sum = 0;
    for (LongAdder adder : byPath) sum += adder.sum();
    return sum;
  }

  /**
   * How operations completed since the driver started (warm-up included): one count per {@link
   * Completion.Path}, in its order, then the count that needed at least one resend.
   */
  public Paths paths() {
    long[] counts = new long[byPath.length];
    for (int i = 0; i < counts.length; i++) counts[i] = byPath[i].sum();
    return new Paths(counts[0], counts[1], counts[2], resent.sum());
  }

  /** Completions by path, and those after a resend. */
  public record Paths(long normal, long fast, long slow, long resent) {
    @Override
    public String toString() {
      return normal
          + " normal, "
          + fast
          + " fast path, "
          + slow
          + " slow path; "
          + resent
          + " after a resend";
    }
  }

  /** Ends the warm-up: drops what was recorded so far and starts the measured window. */
  public void startWindow() {
    synchronized (windowLock) {
      if (windowStartNanos >= 0) throw new IllegalStateException("the window has started");
      latencies.interval();
      for (int i = 0; i < kindLatencies.length; i++) {
        kindLatencies[i].interval();
        kindFailuresAtStart[i] = kindFailures[i].sum();
      }
      windowStartNanos = System.nanoTime();
    }
  }

  /** Ends the measured window: its latencies (nanoseconds) and length. */
  public Window endWindow() {
    synchronized (windowLock) {
      if (windowStartNanos < 0) throw new IllegalStateException("the window has not started");
      if (windowEnded) throw new IllegalStateException("the window has ended");
      windowEnded = true;
      Histogram histogram = latencies.interval();
      List<KindWindow> kinds = new ArrayList<>();
      for (int i = 0; i < kindLatencies.length; i++) {
        long failed = kindFailures[i].sum() - kindFailuresAtStart[i];
        kinds.add(new KindWindow(ops.kinds().get(i), kindLatencies[i].interval(), failed));
      }
      long length = System.nanoTime() - windowStartNanos;
      return new Window(histogram, Duration.ofNanos(length), kinds);
    }
  }

  /**
   * Everything recorded since the driver started, warm-up included, as one window: a load phase,
   * which runs to its end rather than for a measured time.
   */
  public Window whole(Duration length) {
    synchronized (windowLock) {
      if (windowStartNanos >= 0) throw new IllegalStateException("a window was measured");
      windowEnded = true;
      List<KindWindow> kinds = new ArrayList<>();
      for (int i = 0; i < kindLatencies.length; i++) {
        kinds.add(
            new KindWindow(ops.kinds().get(i), kindLatencies[i].interval(), kindFailures[i].sum()));
      }
      return new Window(latencies.interval(), length, kinds);
    }
  }

  /** The operations completed inside a window: one histogram count per operation. */
  public record Window(Histogram latencyNanos, Duration length, List<KindWindow> kinds) {
    public Window {
      kinds = List.copyOf(kinds);
    }

    public long ops() {
      return latencyNanos.getTotalCount();
    }
  }

  /** The operations of one kind completed inside a window, and how many did not succeed. */
  public record KindWindow(String kind, Histogram latencyNanos, long failed) {
    public long ops() {
      return latencyNanos.getTotalCount();
    }
  }
}
