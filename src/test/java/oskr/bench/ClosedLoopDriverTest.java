package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.protocol.Completion;

/** Warm-up discard, percentiles of synthetic latencies, and recording from several threads. */
class ClosedLoopDriverTest {
  private static final long MICROS = 1_000;

  @Test
  void theWarmUpIsDiscarded() {
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.EMPTY);
    for (int i = 0; i < 500; i++)
      driver.completed(0, Bytes.EMPTY, Completion.NORMAL, 1_000_000 * MICROS);
    driver.startWindow();
    for (int i = 0; i < 100; i++)
      driver.completed(i % 4, Bytes.EMPTY, Completion.NORMAL, 50 * MICROS);
    ClosedLoopDriver.Window window = driver.endWindow();
    assertThat(window.ops()).isEqualTo(100);
    assertThat(window.latencyNanos().getMaxValueAsDouble()).isLessThan(51 * MICROS);
    assertThat(window.length()).isPositive();
  }

  @Test
  void everyClientGetsTheSameOperation() {
    Bytes op = Bytes.utf8("put k v");
    ClosedLoopDriver driver = new ClosedLoopDriver(op);
    assertThat(driver.nextOp(0)).isEqualTo(op);
    assertThat(driver.nextOp(41)).isEqualTo(op);
  }

  /** 1..10000 us uniformly: p50 5000 us, p99 9900 us, p99.9 9990 us, max 10000 us, 0.1% error. */
  @Test
  void percentilesOfUniformLatencies() {
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.EMPTY);
    driver.startWindow();
    List<Long> latencies = new ArrayList<>();
    for (long micros = 1; micros <= 10_000; micros++) latencies.add(micros * MICROS);
    java.util.Collections.shuffle(latencies, new Random(7));
    for (long latency : latencies) driver.completed(0, Bytes.EMPTY, Completion.NORMAL, latency);
    BenchResult.Latency latency = BenchResult.Latency.ofNanos(driver.endWindow().latencyNanos());
    assertThat(latency.p50Micros()).isCloseTo(5_000, within(5.0));
    assertThat(latency.p99Micros()).isCloseTo(9_900, within(10.0));
    assertThat(latency.p999Micros()).isCloseTo(9_990, within(10.0));
    assertThat(latency.maxMicros()).isCloseTo(10_000, within(10.0));
  }

  @Test
  void subMicrosecondResolutionAtTypicalLatencies() {
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.EMPTY);
    driver.startWindow();
    driver.completed(0, Bytes.EMPTY, Completion.NORMAL, 12_031);
    BenchResult.Latency latency = BenchResult.Latency.ofNanos(driver.endWindow().latencyNanos());
    assertThat(latency.p50Micros()).isCloseTo(12.031, within(0.01));
  }

  @Test
  void anEmptyWindowHasZeroLatencies() {
    assertThat(BenchResult.Latency.ofNanos(new Histogram(3)))
        .isEqualTo(new BenchResult.Latency(0, 0, 0, 0));
  }

  @Test
  void aNegativeLatencyCountsAsZero() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.record(-5);
    Histogram interval = recorder.interval();
    assertThat(interval.getTotalCount()).isEqualTo(1);
    assertThat(interval.getMaxValue()).isZero();
  }

  @Test
  void theWindowOpensAndClosesOnce() {
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.EMPTY);
    assertThatThrownBy(driver::endWindow).isInstanceOf(IllegalStateException.class);
    driver.startWindow();
    assertThatThrownBy(driver::startWindow).isInstanceOf(IllegalStateException.class);
    driver.endWindow();
    assertThatThrownBy(driver::endWindow).isInstanceOf(IllegalStateException.class);
  }

  /**
   * Four threads record while the reader swaps intervals out: every value lands in exactly one
   * interval, none lost, none counted twice.
   */
  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    LatencyRecorder recorder = new LatencyRecorder();
    int threads = 4;
    int perThread = 200_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long value = (t + 1) * MICROS;
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    awaitQuietly(start);
                    for (int i = 0; i < perThread; i++) recorder.record(value);
                  }));
    }
    Histogram total = new Histogram(3);
    start.countDown();
    while (writers.stream().anyMatch(Thread::isAlive)) total.add(recorder.interval());
    for (Thread writer : writers) writer.join();
    total.add(recorder.interval());
    assertThat(total.getTotalCount()).isEqualTo((long) threads * perThread);
    for (int t = 0; t < threads; t++) {
      assertThat(total.getCountAtValue((t + 1) * MICROS)).isEqualTo(perThread);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
