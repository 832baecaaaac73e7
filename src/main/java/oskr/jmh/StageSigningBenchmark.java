package oskr.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.runtime.StageProbe;
import oskr.runtime.udp.Transport;

/**
 * The replica side of Signed Unreplicated without the network or the clients: the protocol thread
 * submits signing jobs (a 64-byte message each) and takes their results back, with 1 or 2 workers.
 * Shows how the stage spreads signatures over workers until the cores run out. Run: {@code java -cp
 * target/oskr.jar org.openjdk.jmh.Main StageSigningBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class StageSigningBenchmark {
  private static final int IN_FLIGHT = 256;

  @Param({"1", "2"})
  public int workers;

  @Param({"ED25519", "SECP256K1"})
  public Scheme scheme;

  private StageProbe stage;
  private final AtomicLong signed = new AtomicLong();
  private volatile long target;
  private volatile Thread waiter;
  private final byte[] message = new byte[64];
  private Runnable submitAll;

  @Setup(Level.Trial)
  public void start() throws Exception {
    SigningKey key = SigningKey.derive("oskr stage signing".getBytes(StandardCharsets.UTF_8));
    Keyring keyring = new Keyring(scheme, List.of(key.publicKeys()), Optional.of(key));
    stage = StageProbe.start(Transport.DEFAULT, Duration.ZERO, workers, keyring);
    submitAll =
        () -> {
          for (int i = 0; i < IN_FLIGHT; i++) {
            stage.submit(
                crypto -> crypto.sign(message, 0, message.length),
                (Bytes signature) -> {
                  if (signed.incrementAndGet() == target) LockSupport.unpark(waiter);
                });
          }
        };
  }

  @TearDown(Level.Trial)
  public void stop() {
    stage.close();
  }

  /** Signatures per second through the stage, {@value #IN_FLIGHT} in flight. */
  @Benchmark
  @OperationsPerInvocation(IN_FLIGHT)
  public long signThroughTheStage() {
    waiter = Thread.currentThread();
    target = signed.get() + IN_FLIGHT;
    stage.post(submitAll);
    while (signed.get() < target) LockSupport.park(this); // passive: the cores are for the workers
    return target;
  }
}
