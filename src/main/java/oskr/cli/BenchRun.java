package oskr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import oskr.bench.BenchResult;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.protocol.Protocol;

/** The steps of one {@code oskr bench} inside its {@link LocalCluster}. */
final class BenchRun {
  /** JVM start-up, key loading and socket binding on a loaded 2-core machine. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** The client's time beyond warm-up and window: JVM start-up, key loading, shutdown. */
  static final Duration CLIENT_SLACK = Duration.ofSeconds(60);

  private final LocalCluster cluster;
  private final Optional<Protocol<?>> protocol;
  private final int faults;
  private final int down;
  private final ReplicaSettings replica;
  private final LoadSettings load;
  private final Optional<WorkloadOptions> ycsb;
  private final CommonOptions.TransportOption transport;
  private final List<ChildProcess> servers = new ArrayList<>();

  /**
   * @param protocol the protocol, empty for the UDP echo server
   * @param down how many replicas, the highest ids, are never started (at most f)
   * @param replica the replicas' settings, checked for the protocol
   * @param ycsb the YCSB workload, empty for the null workload
   * @param transport the UDP implementation of the replicas (or echo server) and the client
   */
  BenchRun(
      LocalCluster cluster,
      Optional<Protocol<?>> protocol,
      int faults,
      int down,
      ReplicaSettings replica,
      LoadSettings load,
      Optional<WorkloadOptions> ycsb,
      CommonOptions.TransportOption transport) {
    this.cluster = cluster;
    this.protocol = protocol;
    this.faults = faults;
    this.down = down;
    this.replica = replica;
    this.load = load;
    this.ycsb = ycsb;
    this.transport = transport;
  }

  /** Writes the config and keys, starts the replicas (or the echo server), waits until ready. */
  void startServers() throws IOException, ConfigException, RunFailed, InterruptedException {
    if (protocol.isEmpty()) {
      Config config = cluster.writeConfig(0, 1);
      String port = Integer.toString(config.replica(0).port());
      List<String> args = new ArrayList<>(List.of("echo-server", "--port", port));
      args.addAll(transport.args());
      args.add("--exit-with-parent");
      servers.add(cluster.start("the echo server", JavaCommand.benchProcess(args)));
    } else {
      Layout layout = layout(protocol.get(), faults);
      Config config = cluster.writeConfig(layout.f(), layout.n());
      KeygenCommand.writeKeys(
          Deployment.loadConfig(cluster.deploymentBase()), false, new SecureRandom());
      if (down > layout.f()) {
        throw new ConfigException(
            "--down "
                + down
                + ": "
                + protocol.get().name()
                + " with f = "
                + layout.f()
                + " tolerates at most "
                + layout.f()
                + " replicas down");
      }
      for (int id = 0; id < config.n() - down; id++) {
        servers.add(cluster.start("replica " + id, JavaCommand.benchProcess(replicaArgs(id))));
      }
    }
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    for (ChildProcess server : servers) LocalCluster.awaitReady(server, deadline);
  }

  /** How many replicas, tolerating how many faults. */
  record Layout(int f, int n) {}

  /**
   * The fewest replicas the protocol accepts for {@code f} faults: 2f+1, else 3f+1, else one
   * replica tolerating none (Unreplicated).
   */
  static Layout layout(Protocol<?> protocol, int f) throws ConfigException {
    List<Layout> candidates =
        List.of(new Layout(f, 2 * f + 1), new Layout(f, 3 * f + 1), new Layout(0, 1));
    for (Layout candidate : candidates) {
      List<Address> replicas = new ArrayList<>();
      for (int i = 0; i < candidate.n(); i++) replicas.add(new Address("127.0.0.1", 1 + i));
      try {
        protocol.checkConfig(Config.of(candidate.f(), replicas), "bench");
        return candidate;
      } catch (ConfigException e) {
        // Not this layout: try the next.
      }
    }
    throw new ConfigException(
        "oskr bench knows no replica count that " + protocol.name() + " accepts for f = " + f);
  }

  private List<String> replicaArgs(int id) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "replica",
                "-m",
                protocol.orElseThrow().name(),
                "-c",
                cluster.deploymentBase(),
                "-i",
                Integer.toString(id)));
    Apps.Choice app = replica.app(ycsb.isPresent() ? "kv" : "null");
    args.addAll(replica.args(protocol.orElseThrow(), app.name()));
    args.addAll(transport.args());
    if (app.durable()) {
      Path folder = replica.db != null ? replica.db : cluster.directory();
      String name = "replica-" + id + (app.name().equals("sqlite") ? ".sqlite" : "");
      args.addAll(List.of("--db", folder.resolve(name).toAbsolutePath().toString()));
    }
    args.add("--exit-with-parent");
    return args;
  }

  /** The load phase's longest run: past it the bench gives up. */
  static final Duration LOAD_TIMEOUT = Duration.ofMinutes(30);

  private List<String> clientArgs(int clients, Path result) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "client",
                "-m",
                protocol.map(Protocol::name).orElse("unreplicated"),
                "-c",
                cluster.deploymentBase()));
    args.addAll(load.clientArgs(clients));
    args.addAll(transport.args());
    if (ycsb.isPresent()) {
      args.addAll(List.of("--workload", WorkloadOptions.YCSB));
      args.addAll(ycsb.get().clientArgs());
    }
    if (protocol.isPresent() && protocol.get().usesSignatures()) {
      args.addAll(List.of("--auth", replica.scheme().cliName()));
    }
    args.addAll(List.of("--output", result.toString(), "--progress", "--exit-with-parent"));
    return args;
  }

  /** Runs YCSB's load phase with {@code clients} clients; its result. */
  BenchResult runLoad(int clients) throws IOException, RunFailed, InterruptedException {
    List<String> args = clientArgs(clients, cluster.directory().resolve("result-load.json"));
    args.add("--load");
    return runClient(args, "result-load.json", LOAD_TIMEOUT);
  }

  /** Runs the client with {@code clients} clients; its result, with the replicas' CPU use. */
  BenchResult runClient(int clients) throws IOException, RunFailed, InterruptedException {
    String name = "result-" + clients + ".json";
    Duration expected = load.warmUpBound().plus(load.window());
    return runClient(clientArgs(clients, cluster.directory().resolve(name)), name, expected);
  }

  private BenchResult runClient(List<String> args, String name, Duration expected)
      throws IOException, RunFailed, InterruptedException {
    Path resultFile = cluster.directory().resolve(name);
    ChildProcess client = cluster.start("the client", JavaCommand.benchProcess(args));
    Instant deadline = Instant.now().plus(expected).plus(CLIENT_SLACK);
    awaitPhase(client, ClientCommand.MEASURING, deadline);
    Duration cpuBefore = LocalCluster.cpuTime(servers);
    long wallBefore = System.nanoTime();
    awaitPhase(client, ClientCommand.MEASURED, deadline);
    Duration cpuAfter = LocalCluster.cpuTime(servers);
    long wallNanos = System.nanoTime() - wallBefore;
    Duration left = Duration.between(Instant.now(), deadline);
    Optional<Integer> exit = client.awaitExit(left.isNegative() ? Duration.ZERO : left);
    if (exit.isEmpty()) throw new RunFailed("the client did not finish in time");
    if (exit.get() != Oskr.EXIT_OK)
      throw failed("the client failed (exit code " + exit.get() + ")");
    for (ChildProcess server : servers) {
      if (!server.alive()) throw failed(server.name() + " exited during the run");
    }
    BenchResult result;
    try {
      result = BenchResult.fromJson(Files.readString(resultFile));
    } catch (IllegalArgumentException e) {
      throw new RunFailed("unreadable client result " + resultFile + ": " + e.getMessage());
    }
    double replicaCpu = 100.0 * cpuAfter.minus(cpuBefore).toNanos() / wallNanos;
    return describe(result, OptionalDouble.of(replicaCpu));
  }

  private void awaitPhase(ChildProcess client, String phase, Instant deadline)
      throws RunFailed, InterruptedException {
    if (client.awaitLine(phase::equals, deadline).isPresent()) return;
    if (client.stdoutEnded() || !client.alive()) {
      throw failed("the client failed (exit code " + LocalCluster.exitCode(client) + ")");
    }
    throw new RunFailed("the client did not finish in time");
  }

  /** A failure, unless it is only the consequence of Ctrl-C stopping the children. */
  private RunFailed failed(String message) {
    return new RunFailed(cluster.stopping() ? "stopped" : message);
  }

  private BenchResult describe(BenchResult result, OptionalDouble replicaCpu) {
    if (protocol.isPresent()) {
      return result
          .withReplicaSettings(replica.workers, replica.batchSizeMax, replicaCpu)
          .withReplicasDown(down);
    }
    BenchResult.Cluster echo =
        new BenchResult.Cluster(
            BenchCommand.UDP_ECHO, "none", 1, 0, OptionalInt.empty(), OptionalInt.empty());
    return new BenchResult(
        echo, result.workload(), result.outcome(), result.host().withReplicaCpuPercent(replicaCpu));
  }
}
