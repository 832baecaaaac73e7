package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.bench.Json;
import oskr.protocol.Protocol;
import oskr.registry.ProtocolRegistry;

/**
 * Every registered protocol's clients complete requests on the mmsg transport, where the clients of
 * each client loop share one socket, each from its own loopback address (SharedClientSocket):
 * {@code oskr bench --transport mmsg} with 6 clients on 2 loops, replicas on mmsg too. Replies,
 * broadcasts to all replicas and the protocols' client-side timers all go through the shared
 * sockets; SharedClientsOverUdpTest shows in process that the sockets are shared.
 */
@EnabledOnOs(OS.LINUX)
class EveryProtocolOnSharedSocketsTest {
  @TempDir Path directory;

  static Stream<String> protocols() {
    return ProtocolRegistry.all().stream().map(Protocol::name);
  }

  @ParameterizedTest
  @MethodSource("protocols")
  void clientsOnSharedSocketsCompleteRequests(String protocol) throws Exception {
    Path output = directory.resolve("bench.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            protocol,
            "-t",
            "6",
            "--threads",
            "2",
            "-d",
            "1",
            "--warm-up",
            "0.5",
            "--transport",
            "mmsg",
            "--output",
            output.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
    assertThat(fields.get("protocol")).isEqualTo(protocol);
    assertThat((BigDecimal) fields.get("ops")).isPositive();
    assertThat(Processes.runningDescendants()).isEmpty();
  }
}
