package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.bench.Json;
import oskr.core.Bytes;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.Options;
import oskr.protocol.pbft.Pbft;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;

/**
 * PBFT over UDP on loopback with real {@code oskr replica} processes: the view change after the
 * primary's process dies, and {@code oskr bench -m pbft} with batching and HMAC authenticators.
 * Every wait is bounded and every process is killed in {@code finally}.
 */
class PbftEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int F = 1;
  private static final int N = 3 * F + 1;
  private static final int CLIENTS = 4;

  /**
   * Completions after the kill that prove a new primary orders requests: without one, each client
   * can complete at most the one request it had outstanding (committed before the kill).
   */
  private static final long AFTER_KILL = 10L * CLIENTS;

  @TempDir Path directory;

  @Test
  void clientsKeepCompletingAfterThePrimaryProcessIsKilled() throws Exception {
    String base = fourReplicaDeployment();
    List<ChildProcess> replicas = new ArrayList<>();
    try {
      for (int id = 0; id < N; id++) {
        List<String> args =
            List.of(
                "replica",
                "-m",
                "pbft",
                "-c",
                base,
                "-i",
                Integer.toString(id),
                "-b",
                "10",
                "--auth",
                "hmac");
        replicas.add(ChildProcess.start("replica " + id, JavaCommand.oskr(args)));
      }
      Instant ready = Instant.now().plus(WAIT);
      for (ChildProcess replica : replicas) LocalCluster.awaitReady(replica, ready);
      Deployment loaded = Deployment.load(base, Pbft.INSTANCE);
      CountingDriver driver = new CountingDriver();
      try (ClientHost clients =
          ClientHost.start(
              Pbft.INSTANCE,
              loaded.config(),
              loaded.clientKeyring(Pbft.INSTANCE, Scheme.HMAC),
              Options.defaults().withScheme(Scheme.HMAC),
              CLIENTS,
              1,
              driver)) {
        assertThat(driver.awaitCompleted(AFTER_KILL, Instant.now().plus(WAIT)))
            .as("completions in view 0")
            .isTrue();
        ChildProcess primary = replicas.getFirst();
        primary.kill();
        assertThat(primary.awaitExit(WAIT)).as("replica 0 killed").isPresent();
        long atKill = driver.completed();
        Instant killed = Instant.now();
        boolean resumed = driver.awaitCompleted(atKill + AFTER_KILL, killed.plus(WAIT));
        Duration pause = Duration.between(killed, Instant.now());
        System.out.printf(
            "PbftEndToEndTest: %d completions before the kill, %d more %d ms after it%n",
            atKill, driver.completed() - atKill, pause.toMillis());
        assertThat(resumed).as("completions after the primary died").isTrue();
        assertThat(clients.failure()).isEmpty();
      }
      for (ChildProcess backup : replicas.subList(1, N)) {
        assertThat(backup.alive()).as(backup.name()).isTrue();
      }
    } finally {
      for (ChildProcess replica : replicas) replica.kill();
    }
  }

  /** {@code -b} and {@code --auth hmac} reach the replicas; the bench starts n = 3f+1 of them. */
  @Test
  void benchRunsPbftWithBatchingAndHmac() throws Exception {
    Path output = directory.resolve("bench.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            "pbft",
            "--auth",
            "hmac",
            "-b",
            "10",
            "-t",
            "4",
            "-d",
            "1",
            "--warm-up",
            "0.5",
            "--output",
            output.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("pbft (n=4, f=1, auth hmac, workers 1, batch 10)");
    Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
    assertThat(fields.get("auth")).isEqualTo("hmac");
    assertThat(fields.get("batch")).isEqualTo(new BigDecimal(10));
    assertThat(fields.get("replicas")).isEqualTo(new BigDecimal(N));
    assertThat((BigDecimal) fields.get("ops")).isPositive();
    assertThat(Processes.runningDescendants()).isEmpty();
  }

  private String fourReplicaDeployment() throws IOException {
    String base = ConfigFiles.loopback(directory, "pbft", F, N);
    CliRun keygen = CliRun.of("keygen", "-c", base);
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    return base;
  }

  /** Counts completions; the test thread waits for a count with a deadline. */
  private static final class CountingDriver implements ClientDriver {
    private long completed;

    @Override
    public Bytes nextOp(int client) {
      return Bytes.EMPTY;
    }

    @Override
    public synchronized void completed(
        int client, Bytes result, Completion completion, long latencyNanos) {
      completed++;
      notifyAll();
    }

    synchronized long completed() {
      return completed;
    }

    /** Whether {@code count} operations completed before {@code deadline}. */
    synchronized boolean awaitCompleted(long count, Instant deadline) throws InterruptedException {
      while (completed < count) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }
  }
}
