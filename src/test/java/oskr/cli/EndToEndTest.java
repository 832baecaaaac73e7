package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import oskr.bench.BenchResult;
import oskr.bench.Json;

/**
 * Real {@code oskr replica} and {@code oskr client} processes over UDP on loopback, and a whole
 * {@code oskr bench}. Needs the UDP runtime (oskr.runtime); every wait is bounded and every process
 * is killed in {@code finally}.
 */
class EndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path directory;

  private String oneReplicaDeployment(int port) throws IOException {
    String base = ConfigFiles.write(directory, "e2e", "f 0\nreplica 127.0.0.1:" + port + "\n");
    CliRun keygen = CliRun.of("keygen", "-c", base);
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    return base;
  }

  @ParameterizedTest
  @CsvSource({
    "unreplicated, , inline",
    "unreplicated-signed, secp256k1, thread",
    "unreplicated-signed, ed25519, inline"
  })
  void aClientProcessMeasuresAReplicaProcess(String protocol, String auth, String stage)
      throws Exception {
    String base = oneReplicaDeployment(LocalCluster.freeUdpPorts(1).getFirst());
    Path output = directory.resolve("result.json");
    // Unreplicated authenticates nothing, so it takes no --auth.
    List<String> authArgs = auth == null ? List.of() : List.of("--auth", auth);
    List<String> replicaArgs =
        new ArrayList<>(
            List.of("replica", "-m", protocol, "-c", base, "-i", "0", "-w", "2", "--stage", stage));
    replicaArgs.addAll(authArgs);
    ChildProcess replica = ChildProcess.start("replica 0", JavaCommand.oskr(replicaArgs));
    try {
      LocalCluster.awaitReady(replica, Instant.now().plus(WAIT));
      List<String> clientArgs =
          new ArrayList<>(
              List.of(
                  "client",
                  "-m",
                  protocol,
                  "-c",
                  base,
                  "-t",
                  "4",
                  "-d",
                  "1",
                  "--warm-up",
                  "0.5",
                  "--output",
                  output.toString()));
      clientArgs.addAll(authArgs);
      ChildProcess client = ChildProcess.start("client", JavaCommand.oskr(clientArgs));
      try {
        assertThat(client.awaitExit(WAIT)).contains(0);
      } finally {
        client.kill();
      }
      Map<String, Object> fields = Json.parseFlatObject(Files.readString(output));
      assertThat(fields.keySet()).containsExactlyElementsOf(BenchResult.columns());
      assertThat(fields.get("protocol")).isEqualTo(protocol);
      assertThat(fields.get("clients")).isEqualTo(new BigDecimal(4));
      assertThat((BigDecimal) fields.get("ops")).isPositive();
      assertThat((BigDecimal) fields.get("throughput_ops_s")).isPositive();
      assertThat((BigDecimal) fields.get("p50_us")).isPositive();
      assertThat(replica.alive()).isTrue();
      replica.requestStop();
      assertThat(replica.awaitExit(WAIT)).isPresent(); // SIGTERM ends it via its shutdown hook
    } finally {
      replica.kill();
    }
  }

  /** A port in use is an operator error: one line naming the address, exit code 2. */
  @Test
  void aReplicaOnAPortInUseSaysSoInOneLine() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(null)) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      String base = oneReplicaDeployment(taken.getLocalPort());
      Process replica =
          new ProcessBuilder(
                  JavaCommand.oskr(List.of("replica", "-m", "unreplicated", "-c", base, "-i", "0")))
              .redirectErrorStream(true)
              .start();
      try {
        replica.getOutputStream().close();
        assertThat(replica.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        String output = new String(replica.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(replica.exitValue()).as(output).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
        assertThat(output.lines().toList())
            .singleElement()
            .asString()
            .startsWith(
                "oskr: "
                    + base
                    + ".config: replica 0 cannot listen on 127.0.0.1:"
                    + taken.getLocalPort());
      } finally {
        replica.destroyForcibly();
      }
    }
  }

  /** The whole bench in this JVM: a result, and no child process or temporary folder after. */
  @Test
  void benchLeavesNoProcessOrFolderBehind() throws Exception {
    List<Path> foldersBefore = benchFolders();
    Path output = directory.resolve("bench.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            "unreplicated",
            "-d",
            "2",
            "--warm-up",
            "0.5",
            "--output",
            output.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("unreplicated (n=1, f=0").contains("ops/s");
    BenchResult result = BenchResult.fromJson(Files.readString(output));
    assertThat(result.outcome().ops()).isPositive();
    assertThat(result.cluster().workers()).hasValue(1);
    assertThat(result.host().replicaCpuPercent()).isPresent();
    List<Long> left = new ArrayList<>(Processes.runningDescendants());
    for (long pid : left) Processes.awaitGone(pid, Duration.ofSeconds(10));
    assertThat(Processes.runningDescendants()).isEmpty();
    // A subset: the bench also removes the folders that killed benches stranded.
    assertThat(foldersBefore).containsAll(benchFolders());
  }

  /**
   * A run with a replica down from the start: VR's last backup is never started, the other two
   * serve, and the result says so; more down than f is refused before any client runs.
   */
  @Test
  void benchRunsWithReplicasDown() throws Exception {
    Path output = directory.resolve("down.json");
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            "vr",
            "--down",
            "1",
            "-t",
            "2",
            "-d",
            "1",
            "--warm-up",
            "0.5",
            "-o",
            output.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("vr (n=3, f=1, 1 down, auth none");
    BenchResult result = BenchResult.fromJson(Files.readString(output));
    assertThat(result.cluster().down()).isEqualTo(1);
    assertThat(result.outcome().ops()).isPositive();

    CliRun tooMany = CliRun.of("bench", "-m", "vr", "--down", "2", "-d", "1");
    assertThat(tooMany.exitCode()).isNotZero();
    assertThat(tooMany.err()).contains("--down 2: vr with f = 1 tolerates at most 1");
    assertThat(Processes.runningDescendants()).isEmpty();
  }

  /**
   * The advanced transport choice reaches every process of a bench: replicas, client and the echo
   * server run on Netty's native epoll or on mmsg (recvmmsg, and outboxes flushed with sendmmsg
   * through the JDK's foreign function API) and serve as on NIO. PbftOverUdpTest covers mmsg's
   * broadcasts and batches of replies in one JVM; a fresh epoll replica's slow first exchange is in
   * docs/transport.md.
   */
  @ParameterizedTest
  @CsvSource({"epoll, unreplicated", "epoll, udp-echo", "mmsg, unreplicated", "mmsg, udp-echo"})
  void benchRunsOnAnAdvancedTransport(String transport, String protocol) throws Exception {
    CliRun run =
        CliRun.of(
            "bench",
            "-m",
            protocol,
            "--transport",
            transport,
            "-t",
            "2",
            "-d",
            "1",
            "--warm-up",
            "0.5");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith(protocol + " (n=1, f=0").contains("ops/s");
    assertThat(Processes.runningDescendants()).isEmpty();
  }

  /** The raw UDP limit: the echo server with the same client loop. */
  @Test
  void benchUdpEchoMeasuresTheRawLimit() throws Exception {
    CliRun run = CliRun.of("bench", "-m", "udp-echo", "-t", "2", "-d", "1", "--warm-up", "0.5");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("udp-echo (n=1, f=0, auth none), 2 clients");
    assertThat(Processes.runningDescendants()).isEmpty();
  }

  /** No replica answers: the client says so in one line and exits with code 1. */
  @Test
  void aClientWithoutReplicasFails() throws Exception {
    String base = oneReplicaDeployment(LocalCluster.freeUdpPorts(1).getFirst());
    CliRun run =
        CliRun.of("client", "-m", "unreplicated", "-c", base, "-d", "0.5", "--warm-up", "0");
    assertThat(run.exitCode()).isEqualTo(Oskr.EXIT_FAILED);
    assertThat(run.errLines()).singleElement().asString().startsWith("oskr: no request completed");
  }

  /**
   * Replicas signing with secp256k1, a client verifying Ed25519: the client names the scheme it
   * used and the replies it dropped, rather than only wondering about {@code -m}.
   */
  @Test
  void aClientWithAnotherAuthThanTheReplicasNamesTheMismatch() throws Exception {
    String base = oneReplicaDeployment(LocalCluster.freeUdpPorts(1).getFirst());
    ChildProcess replica =
        ChildProcess.start(
            "replica 0",
            JavaCommand.oskr(
                List.of(
                    "replica",
                    "-m",
                    "unreplicated-signed",
                    "-c",
                    base,
                    "-i",
                    "0",
                    "--auth",
                    "secp256k1")));
    try {
      LocalCluster.awaitReady(replica, Instant.now().plus(WAIT));
      CliRun run =
          CliRun.of(
              "client",
              "-m",
              "unreplicated-signed",
              "-c",
              base,
              "--auth",
              "ed25519",
              "-d",
              "0.5",
              "--warm-up",
              "0");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(Oskr.EXIT_FAILED);
      assertThat(run.errLines())
          .singleElement()
          .asString()
          .contains("running with -m unreplicated-signed --auth ed25519?")
          .contains("This client dropped replies it could not accept")
          .endsWith("replicas with another --auth look like this.");
    } finally {
      replica.kill();
    }
  }

  private static List<Path> benchFolders() throws IOException {
    try (Stream<Path> paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return paths
          .filter(p -> p.getFileName().toString().startsWith("oskr-bench-"))
          .sorted()
          .toList();
    }
  }
}
