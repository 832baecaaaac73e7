package oskr.bench;

import java.time.Duration;
import org.HdrHistogram.Histogram;
import oskr.core.Bytes;
import oskr.runtime.ClientDriver;

/**
 * The closed loop of benchmark.md: every client sends the same operation again as soon as the
 * previous one completes; latencies go to a {@link LatencyRecorder}. Completions before {@link
 * #startWindow()} are the warm-up and are discarded; {@link #endWindow()} returns what completed in
 * between, with the window's exact length.
 */
public final class ClosedLoopDriver implements ClientDriver {
  private final Bytes op;
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final Object windowLock = new Object();
  private long windowStartNanos = -1;
  private boolean windowEnded;

  /**
   * @param op the operation every client sends: empty for the 0/0 benchmark
   */
  public ClosedLoopDriver(Bytes op) {
    this.op = op;
  }

  @Override
  public Bytes nextOp(int client) {
    return op;
  }

  @Override
  public void completed(int client, Bytes result, long latencyNanos) {
    latencies.record(latencyNanos);
  }

  /** Ends the warm-up: drops what was recorded so far and starts the measured window. */
  public void startWindow() {
    synchronized (windowLock) {
      if (windowStartNanos >= 0) throw new IllegalStateException("the window has started");
      latencies.interval();
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
      long length = System.nanoTime() - windowStartNanos;
      return new Window(histogram, Duration.ofNanos(length));
    }
  }

  /** The operations completed inside a window: one histogram count per operation. */
  public record Window(Histogram latencyNanos, Duration length) {
    public long ops() {
      return latencyNanos.getTotalCount();
    }
  }
}
