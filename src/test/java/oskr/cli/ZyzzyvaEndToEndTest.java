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
import oskr.protocol.zyzzyva.Zyzzyva;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;

/**
 * Zyzzyva over UDP on loopback with real {@code oskr replica -m zyzzyva} processes (n = 4, f = 1,
 * {@code --auth hmac}): with every replica up clients complete on the fast path; a backup's process
 * is killed and they go on completing on the slow path; in another cluster the primary's process is
 * killed and they go on after a view change. Every wait is bounded and every process is killed in
 * {@code finally}.
 */
class ZyzzyvaEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int N = 4;
  private static final int CLIENTS = 4;
  private static final long PROGRESS = 10L * CLIENTS;

  @TempDir Path directory;

  @Test
  void theSlowPathKeepsServingWhenABackupIsKilled() throws Exception {
    runKilling(3, true);
  }

  @Test
  void aViewChangeKeepsServingWhenThePrimaryIsKilled() throws Exception {
    runKilling(0, false);
  }

  private void runKilling(int victim, boolean slowPathAfter) throws Exception {
    String base = fourReplicaDeployment();
    List<ChildProcess> replicas = new ArrayList<>();
    try {
      for (int id = 0; id < N; id++) {
        List<String> args =
            List.of(
                "replica",
                "-m",
                "zyzzyva",
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
      Deployment loaded = Deployment.load(base, Zyzzyva.INSTANCE);
      CountingDriver driver = new CountingDriver();
      try (ClientHost clients =
          ClientHost.start(
              Zyzzyva.INSTANCE,
              loaded.config(),
              loaded.clientKeyring(Zyzzyva.INSTANCE, Scheme.HMAC),
              Options.defaults().withScheme(Scheme.HMAC),
              CLIENTS,
              1,
              driver)) {
        assertThat(driver.awaitCompleted(PROGRESS, Instant.now().plus(WAIT)))
            .as("completions with every replica up")
            .isTrue();
        assertThat(driver.fast()).as("fast-path completions").isPositive();
        ChildProcess killed = replicas.get(victim);
        killed.kill();
        assertThat(killed.awaitExit(WAIT)).as(killed.name() + " killed").isPresent();
        long atKill = driver.completed();
        long slowAtKill = driver.slow();
        Instant start = Instant.now();
        boolean resumed = driver.awaitCompleted(atKill + PROGRESS, start.plus(WAIT));
        System.out.printf(
            "ZyzzyvaEndToEndTest: replica %d killed after %d completions (%d fast); %d more in"
                + " %d ms, %d on the slow path%n",
            victim,
            atKill,
            driver.fast(),
            driver.completed() - atKill,
            Duration.between(start, Instant.now()).toMillis(),
            driver.slow() - slowAtKill);
        assertThat(resumed).as("completions after replica " + victim + " died").isTrue();
        if (slowPathAfter) assertThat(driver.slow()).isGreaterThan(slowAtKill);
        assertThat(clients.failure()).isEmpty();
      }
    } finally {
      for (ChildProcess replica : replicas) replica.kill();
    }
  }

  private String fourReplicaDeployment() throws IOException {
    String base = directory.resolve("zyzzyva").toString();
    StringBuilder config = new StringBuilder("f 1\n");
    for (int port : LocalCluster.freeUdpPorts(N)) {
      config.append("replica 127.0.0.1:").append(port).append('\n');
    }
    Files.writeString(Path.of(base + ".config"), config);
    CliRun keygen = CliRun.of("keygen", "-c", base);
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    return base;
  }

  /** Counts completions by path; the test thread waits for a count with a deadline. */
  private static final class CountingDriver implements ClientDriver {
    private long completed;
    private long fast;
    private long slow;

    @Override
    public Bytes nextOp(int client) {
      return Bytes.EMPTY;
    }

    @Override
    public synchronized void completed(
        int client, Bytes result, Completion completion, long latencyNanos) {
      completed++;
      if (completion.path() == Completion.Path.FAST) fast++;
      if (completion.path() == Completion.Path.SLOW) slow++;
      notifyAll();
    }

    synchronized long completed() {
      return completed;
    }

    synchronized long fast() {
      return fast;
    }

    synchronized long slow() {
      return slow;
    }

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
