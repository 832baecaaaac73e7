package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.bench.Json;
import oskr.protocol.Protocol;
import oskr.registry.ProtocolRegistry;

/**
 * Every registered protocol runs end to end over UDP: {@code oskr bench} starts its replica
 * processes and a client process on loopback, and the client completes requests. The protocols come
 * from the registry, so a new protocol is tested here the day it is registered.
 */
class EveryProtocolEndToEndTest {
  @TempDir Path directory;

  static Stream<String> protocols() {
    return ProtocolRegistry.all().stream().map(Protocol::name);
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void benchCompletesRequests(String protocol) throws Exception {
    Path output = directory.resolve("bench.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            protocol,
            "-t",
            "2",
            "-d",
            "1",
            "--warm-up",
            "0.5",
            "--output",
            output.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
    assertThat(fields.get("protocol")).isEqualTo(protocol);
    assertThat((BigDecimal) fields.get("ops")).isPositive();
    assertThat(Processes.runningDescendants()).isEmpty();
  }
}
