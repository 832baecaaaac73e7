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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.bench.Json;

/**
 * The durable stores over UDP with real {@code oskr replica -a sqlite|rocksdb} processes (VR, n =
 * 3): YCSB's load phase through {@code oskr client}, then every replica killed with SIGKILL and
 * started again on its store; each reports the loaded records and the same last write, and a
 * workload C run reads every record it asks for. Every wait is bounded and every process is killed
 * in {@code finally}.
 */
class DurableStoresEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration BACKUPS_CATCH_UP = Duration.ofSeconds(1);
  private static final int N = 3;
  private static final int RECORDS = 200;
  private static final Pattern STORE_STATE =
      Pattern.compile("\\((\\d+) records, last write op (\\d+)\\)");

  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "rocksdb"})
  void replicasKeepTheLoadedRecordsAcrossAKill(String engine) throws Exception {
    String base = ConfigFiles.loopback(directory, "durable", 1, N);
    List<ChildProcess> replicas = new ArrayList<>();
    try {
      List<String> before = startAll(base, engine, replicas);
      assertThat(before).as("fresh stores").allMatch(state -> state.equals("0 records"));
      CliRun load = client(base, "workloada", "--load", "-o", out("load.json"));
      assertThat(load.exitCode()).as(load.out() + load.err()).isZero();
      assertThat(load.out()).contains("[INSERT] " + RECORDS + " ops (0 failed)");
      // The client completes on the primary's reply; backups execute the last insert when the
      // idle primary's next COMMIT arrives (every 25 ms). Killing sooner would test that timing,
      // not the stores.
      Thread.sleep(BACKUPS_CATCH_UP.toMillis());

      for (ChildProcess replica : replicas) kill(replica);
      replicas.clear();
      List<String> after = startAll(base, engine, replicas);
      assertThat(after.getFirst()).startsWith(RECORDS + " records, last write op ");
      assertThat(after).as("every replica's store after the kill").containsOnly(after.getFirst());

      CliRun run = client(base, "workloadc", "-d", "1", "--warm-up", "0.5", "-o", out("run.json"));
      assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
      Map<String, Object> fields = Json.parseFlatObject(Files.readString(Path.of(out("run.json"))));
      assertThat((BigDecimal) fields.get("read_ops")).isPositive();
      assertThat(fields.get("read_failed"))
          .as("reads of loaded records")
          .isEqualTo(BigDecimal.ZERO);
    } finally {
      for (ChildProcess replica : replicas) replica.kill();
    }
  }

  /** Starts every replica on its store; what each reported of its store when it was ready. */
  private List<String> startAll(String base, String engine, List<ChildProcess> replicas)
      throws IOException, RunFailed, InterruptedException {
    for (int id = 0; id < N; id++) {
      String db = directory.resolve("replica-" + id + "." + engine).toString();
      List<String> args =
          List.of(
              "replica",
              "-m",
              "vr",
              "-c",
              base,
              "-i",
              Integer.toString(id),
              "-a",
              engine,
              "--db",
              db);
      replicas.add(ChildProcess.start("replica " + id, JavaCommand.oskr(args)));
    }
    List<String> states = new ArrayList<>();
    Instant deadline = Instant.now().plus(WAIT);
    for (ChildProcess replica : replicas) {
      String ready = replica.awaitLine(Ready::isReadyLine, deadline).orElse("");
      assertThat(ready).as(replica.name() + " ready").isNotEmpty();
      Matcher state = STORE_STATE.matcher(ready);
      assertThat(state.find()).as("store state in: " + ready).isTrue();
      states.add(
          state.group(1).equals("0")
              ? "0 records"
              : state.group(1) + " records, last write op " + state.group(2));
    }
    return states;
  }

  private CliRun client(String base, String workload, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "client",
                "-m",
                "vr",
                "-c",
                base,
                "-t",
                "2",
                "-w",
                "ycsb",
                "-P",
                "workloads/" + workload,
                "-p",
                "recordcount=" + RECORDS));
    args.addAll(List.of(more));
    return CliRun.of(args);
  }

  private String out(String name) {
    return directory.resolve(name).toString();
  }

  private static void kill(ChildProcess replica) throws InterruptedException {
    replica.kill();
    assertThat(replica.awaitExit(WAIT)).as(replica.name() + " killed").isPresent();
  }
}
