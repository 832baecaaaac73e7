package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.core.Bytes;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.Options;
import oskr.protocol.hotstuff.HotStuff;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;

/**
 * HotStuff over UDP on loopback with real {@code oskr replica -m hotstuff} processes (n = 4, f =
 * 1): one replica's process is killed mid-run and the clients keep completing requests, the views
 * it would lead skipped by the pacemaker. Every wait is bounded and every process is killed in
 * {@code finally}.
 */
class HotStuffEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int F = 1;
  private static final int N = 3 * F + 1;
  private static final int CLIENTS = 4;

  /** Completions after the kill that prove views went round past the dead leader. */
  private static final long AFTER_KILL = 20L * CLIENTS;

  @TempDir Path directory;

  @Test
  void clientsKeepCompletingAfterAReplicaProcessIsKilled() throws Exception {
    String base = fourReplicaDeployment();
    List<ChildProcess> replicas = new ArrayList<>();
    try {
      for (int id = 0; id < N; id++) {
        List<String> args =
            List.of(
                "replica",
                "-m",
                "hotstuff",
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
      Deployment loaded = Deployment.load(base, HotStuff.INSTANCE);
      CountingDriver driver = new CountingDriver();
      try (ClientHost clients =
          ClientHost.start(
              HotStuff.INSTANCE,
              loaded.config(),
              loaded.clientKeyring(HotStuff.INSTANCE, Scheme.HMAC),
              Options.defaults().withScheme(Scheme.HMAC),
              CLIENTS,
              1,
              driver)) {
        assertThat(driver.awaitCompleted(AFTER_KILL, Instant.now().plus(WAIT)))
            .as("completions with every replica up")
            .isTrue();
        ChildProcess killed = replicas.get(1);
        killed.kill();
        assertThat(killed.awaitExit(WAIT)).as("replica 1 killed").isPresent();
        long atKill = driver.completed();
        Instant killedAt = Instant.now();
        boolean resumed = driver.awaitCompleted(atKill + AFTER_KILL, killedAt.plus(WAIT));
        Duration pause = Duration.between(killedAt, Instant.now());
        System.out.printf(
            "HotStuffEndToEndTest: %d completions before the kill, %d more %d ms after it%n",
            atKill, driver.completed() - atKill, pause.toMillis());
        assertThat(resumed).as("completions after replica 1 died").isTrue();
        assertThat(clients.failure()).isEmpty();
      }
      for (int id : List.of(0, 2, 3)) {
        assertThat(replicas.get(id).alive()).as(replicas.get(id).name()).isTrue();
      }
    } finally {
      for (ChildProcess replica : replicas) replica.kill();
    }
  }

  private String fourReplicaDeployment() throws IOException {
    String base = directory.resolve("hotstuff").toString();
    StringBuilder config = new StringBuilder("f " + F + "\n");
    for (int port : LocalCluster.freeUdpPorts(N)) {
      config.append("replica 127.0.0.1:").append(port).append('\n');
    }
    Files.writeString(Path.of(base + ".config"), config);
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
