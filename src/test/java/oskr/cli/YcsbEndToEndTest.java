package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.bench.Json;

/**
 * YCSB end to end over UDP: {@code oskr bench --workload ycsb} starts three VR replicas on each
 * store, loads the records, runs workload A, and reports reads and updates per type, none failed
 * (every record was loaded before the run).
 */
class YcsbEndToEndTest {
  @TempDir Path directory;

  @ParameterizedTest
  @ValueSource(strings = {"kv"})
  void benchLoadsThenRunsWorkloadA(String app) throws Exception {
    Path output = directory.resolve("bench.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            "vr",
            "-a",
            app,
            "--workload",
            "ycsb",
            "-P",
            "workloads/workloada",
            "-p",
            "recordcount=300",
            "-t",
            "2",
            "-d",
            "1",
            "--warm-up",
            "0.5",
            "--output",
            output.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("ycsb:workloada load]", "[INSERT] 300 ops (0 failed)");
    Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
    assertThat(fields.get("workload")).isEqualTo("ycsb:workloada");
    assertThat((BigDecimal) fields.get("read_ops")).isPositive();
    assertThat((BigDecimal) fields.get("update_ops")).isPositive();
    assertThat(fields.get("read_failed")).isEqualTo(BigDecimal.ZERO);
    assertThat(fields.get("update_failed")).isEqualTo(BigDecimal.ZERO);
    assertThat(fields.get("scan_ops")).isSameAs(Json.NULL);
    assertThat(Processes.runningDescendants()).isEmpty();
  }
}
