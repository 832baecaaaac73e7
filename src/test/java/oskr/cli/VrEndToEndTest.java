package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import oskr.protocol.vr.Vr;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;

/**
 * VR over UDP on loopback with real {@code oskr replica -m vr} processes (n = 3, f = 1): the
 * primary's process is killed mid-run and the clients keep completing requests (a view change);
 * then it comes back with {@code --recovering} (VR §4.3: it lost its state) and, once the primary
 * of the new view is killed too, the group can only go on with the recovered replica. Every wait is
 * bounded and every process is killed in {@code finally}.
 */
class VrEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int N = 3;
  private static final int CLIENTS = 4;

  /** Completions that prove a primary orders requests (more than the outstanding ones). */
  private static final long PROGRESS = 10L * CLIENTS;

  @TempDir Path directory;

  @Test
  void clientsKeepCompletingAfterThePrimaryIsKilledAndAfterARecoveredReplicaIsNeeded()
      throws Exception {
    String base = ConfigFiles.loopback(directory, "vr", 1, N);
    List<ChildProcess> replicas = new ArrayList<>();
    try {
      // The primary of view 0 first: backups that start later hear its COMMITs at once, so no
      // view change happens before the test kills it (a backup waits only 250 ms for them).
      replicas.add(startReplica(base, 0, false));
      LocalCluster.awaitReady(replicas.get(0), Instant.now().plus(WAIT));
      for (int id = 1; id < N; id++) replicas.add(startReplica(base, id, false));
      Instant ready = Instant.now().plus(WAIT);
      for (ChildProcess backup : replicas.subList(1, N)) LocalCluster.awaitReady(backup, ready);
      Deployment loaded = Deployment.load(base, Vr.INSTANCE);
      CountingDriver driver = new CountingDriver();
      try (ClientHost clients =
          ClientHost.start(
              Vr.INSTANCE,
              loaded.config(),
              loaded.clientKeyring(Vr.INSTANCE, Scheme.ED25519),
              Options.defaults(),
              CLIENTS,
              1,
              driver)) {
        assertThat(driver.awaitCompleted(PROGRESS, Instant.now().plus(WAIT)))
            .as("completions in view 0")
            .isTrue();
        kill(replicas.get(0));
        assertProgress(driver, "after the primary of view 0 died");
        replicas.set(0, startReplica(base, 0, true));
        LocalCluster.awaitReady(replicas.get(0), Instant.now().plus(WAIT));
        assertProgress(driver, "while replica 0 recovers");
        // Bounded: replica 0 finishes recovering (milliseconds once its JVM runs) and catches up
        // meanwhile; a replica exposes no recovery signal, so the wait is generous for CI load.
        Thread.sleep(3000);
        kill(replicas.get(1));
        assertProgress(driver, "with the recovered replica 0 and replica 2 only");
        assertThat(clients.failure()).isEmpty();
      }
      assertThat(replicas.get(0).alive()).as("recovered replica 0").isTrue();
      assertThat(replicas.get(2).alive()).as("replica 2").isTrue();
    } finally {
      for (ChildProcess replica : replicas) replica.kill();
    }
  }

  private ChildProcess startReplica(String base, int id, boolean recovering) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("replica", "-m", "vr", "-c", base, "-i", Integer.toString(id), "-b", "10"));
    if (recovering) args.add("--recovering");
    return ChildProcess.start("replica " + id, JavaCommand.oskr(args));
  }

  private static void kill(ChildProcess replica) throws InterruptedException {
    replica.kill();
    assertThat(replica.awaitExit(WAIT)).as(replica.name() + " killed").isPresent();
  }

  private static void assertProgress(CountingDriver driver, String when)
      throws InterruptedException {
    long before = driver.completed();
    Instant start = Instant.now();
    boolean progressed = driver.awaitCompleted(before + PROGRESS, start.plus(WAIT));
    System.out.printf(
        "VrEndToEndTest: %d more completions %s, %d ms%n",
        driver.completed() - before, when, Duration.between(start, Instant.now()).toMillis());
    assertThat(progressed).as("completions " + when).isTrue();
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
