package oskr.runtime.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.runtime.StageMode;
import oskr.runtime.StageProbe;
import oskr.runtime.udp.Transport;

/**
 * Signatures per second through the stage (a stateful event submits, workers sign, results come
 * back), without network or clients, and how many cores the stage used meanwhile: the replica side
 * of Signed Unreplicated, to show how it grows with {@code -w}. A plain main next to the JMH {@code
 * StageSigningBenchmark} because it also reports the cores used, which tells a stage that does not
 * scale from neighbours that left no core free.
 *
 * <pre>
 * java -cp target/oskr.jar oskr.runtime.bench.StageSigningRun 2 ed25519 40000 [inline|thread]
 * </pre>
 */
public final class StageSigningRun {
  private StageSigningRun() {}

  public static void main(String[] args) throws Exception {
    int workers = Integer.parseInt(args[0]);
    Scheme scheme = Scheme.parse(args[1]);
    int signatures = Integer.parseInt(args[2]);
    StageMode mode = args.length > 3 ? StageMode.parse(args[3]) : StageMode.DEFAULT;
    SigningKey key = SigningKey.derive("oskr stage signing".getBytes(StandardCharsets.UTF_8));
    Keyring keyring = new Keyring(scheme, List.of(key.publicKeys()), Optional.of(key));
    byte[] message = new byte[64];
    for (int round = 1; round <= 3; round++) { // round 1 warms the JIT up
      try (StageProbe stage =
          StageProbe.start(mode, Transport.DEFAULT, Duration.ZERO, workers, keyring)) {
        CountDownLatch done = new CountDownLatch(signatures);
        long cpuStart = stage.cpuNanos();
        long start = System.nanoTime();
        stage.post(
            () -> {
              for (int i = 0; i < signatures; i++) {
                stage.submit(
                    crypto -> crypto.sign(message, 0, message.length), s -> done.countDown());
              }
            });
        done.await();
        long wall = System.nanoTime() - start;
        double cores = (stage.cpuNanos() - cpuStart) / (double) wall;
        System.out.printf(
            Locale.ROOT,
            "round=%d workers=%d scheme=%s signs_s=%.0f stage_cores=%.2f%n",
            round,
            workers,
            scheme.cliName(),
            signatures / (wall / 1e9),
            cores);
      }
    }
  }
}
