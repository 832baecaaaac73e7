package oskr.jmh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import oskr.core.Bytes;
import oskr.core.Writer;
import oskr.protocol.Frames;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.runtime.StageMode;
import oskr.runtime.StageProbe;
import oskr.runtime.udp.Transport;

/**
 * What a stage hand-off costs, against what it saves, for both {@code StageMode}s (INLINE runs an
 * idle executor's event on the posting thread): a round trip to the stateful executor (every
 * received message), through a worker and back (every signing job), a burst of posts (a busy
 * replica), and encoding a small reply inline (what the stateful executor does instead of handing
 * small messages off). The round trips spin-wait in the caller (hand-off latency alone); the burst
 * waits passively so that the caller does not take a core from the stage. Run: {@code java -cp
 * target/oskr.jar org.openjdk.jmh.Main StageBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class StageBenchmark {
  private static final int BURST = 1_000;

  @Param({"NIO", "EPOLL"})
  public Transport transport;

  @Param({"0", "20"})
  public int protocolSpinMicros;

  @Param({"THREAD", "INLINE"})
  public StageMode stageMode;

  private StageProbe stage;
  private final AtomicLong completed = new AtomicLong();
  private volatile long burstEnd;
  private volatile Thread waiter;
  private final Writer writer = new Writer();
  private final UnreplicatedMessage reply =
      new UnreplicatedMessage.Reply(42, 7, Bytes.EMPTY, Bytes.EMPTY);
  private Runnable complete;
  private Runnable viaWorker;

  @Setup(Level.Trial)
  public void start() throws Exception {
    stage =
        StageProbe.start(stageMode, transport, Duration.ofNanos(protocolSpinMicros * 1_000L), 1);
    complete =
        () -> {
          if (completed.incrementAndGet() == burstEnd) LockSupport.unpark(waiter);
        };
    viaWorker = () -> stage.submit(() -> {}, complete);
  }

  @TearDown(Level.Trial)
  public void stop() {
    stage.close();
  }

  private void awaitCompleted(long target) {
    while (completed.get() < target) Thread.onSpinWait();
  }

  /** Caller to the stateful executor and back: what a received message pays to reach the node. */
  @Benchmark
  public long protocolRoundTrip() {
    long target = completed.get() + 1;
    stage.post(complete);
    awaitCompleted(target);
    return target;
  }

  /** Caller, stateful executor, worker, stateful executor, caller: a signing job, no crypto. */
  @Benchmark
  public long jobRoundTrip() {
    long target = completed.get() + 1;
    stage.post(viaWorker);
    awaitCompleted(target);
    return target;
  }

  /** Per event, when a burst keeps the stateful executor busy: the cost under load. */
  @Benchmark
  @OperationsPerInvocation(BURST)
  public long protocolBurst() {
    waiter = Thread.currentThread();
    long target = completed.get() + BURST;
    burstEnd = target;
    for (int i = 0; i < BURST; i++) stage.post(complete);
    while (completed.get() < target) LockSupport.park(this); // passive: leave the core to the stage
    return target;
  }

  /** Encoding an Unreplicated reply on the calling thread: what an inline send costs instead. */
  @Benchmark
  public int encodeSmallReplyInline() {
    Writer out = writer.reset();
    Frames.encode(Unreplicated.PLAIN, reply, out);
    return out.position();
  }
}
