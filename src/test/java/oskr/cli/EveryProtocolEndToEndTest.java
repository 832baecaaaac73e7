package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    benchCompletes(protocol, "-t", "2");
  }

  /**
   * On the gso transport the clients of each client loop share one socket, each tagging its
   * datagrams (SharedClientSocket, Tags), and runs of datagrams to one target leave as segmented
   * messages: replies (whose addresses protocols carry in their messages), broadcasts to all
   * replicas and the protocols' client-side timers all go through the shared sockets;
   * SharedClientsOverUdpTest shows in process that the sockets are shared, on mmsg and gso.
   */
  @ParameterizedTest
  @MethodSource("protocols")
  @EnabledOnOs(OS.LINUX)
  void clientsOnSharedSocketsCompleteRequests(String protocol) throws Exception {
    benchCompletes(protocol, "-t", "6", "--threads", "2", "--transport", "gso");
  }

  private void benchCompletes(String protocol, String... options) throws Exception {
    Path output = directory.resolve("bench.json");
    List<String> arguments = new ArrayList<>(List.of("bench", "-m", protocol));
    arguments.addAll(List.of(options));
    arguments.addAll(List.of("-d", "1", "--warm-up", "0.5", "--output", output.toString()));
    CliRun run = CliRun.of(arguments);
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
    assertThat(fields.get("protocol")).isEqualTo(protocol);
    assertThat((BigDecimal) fields.get("ops")).isPositive();
    assertThat(Processes.runningDescendants()).isEmpty();
  }
}
