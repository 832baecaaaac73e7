package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import oskr.app.ycsb.CoreWorkload;
import oskr.bench.BenchResult;
import oskr.bench.ClosedLoopDriver;
import oskr.bench.ProcessCpu;
import oskr.bench.WarmUp;
import oskr.bench.YcsbOps;
import oskr.core.Bytes;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.runtime.ClientHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr client}: the closed-loop benchmark client of benchmark.md. Prints one summary line;
 * exits with code 1 if no request completed in the measured window.
 */
@Command(
    name = "client",
    description = {
      "Run the closed-loop benchmark client against running replicas.",
      "CLIENTS clients keep one request outstanding each; the warm-up is discarded, then SECONDS"
          + " are measured: throughput and latency p50/p99/p99.9/max, one summary line."
    },
    sortOptions = false,
    footer = {
      "%nExample (against replicas of deploy/local.config started with 'oskr replica'):",
      "  oskr client -m unreplicated -c deploy/local -t 8 -d 10 -o run.json",
      "YCSB workload A, load then run (replicas started with -a kv, sqlite or rocksdb):",
      "  oskr client -m vr -c deploy/local -w ycsb -P workloads/workloada --load -t 8",
      "  oskr client -m vr -c deploy/local -w ycsb -P workloads/workloada -t 8 -d 10"
    })
final class ClientCommand implements Callable<Integer> {
  /** Printed on stdout with {@code --progress}, for {@code oskr bench} to sample replica CPU. */
  static final String MEASURING = "oskr client: measuring";

  static final String MEASURED = "oskr client: measured";

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Mixin CommonOptions.ProtocolOption protocolOption;
  @Mixin CommonOptions.ConfigOption config;
  @Mixin LoadSettings load;
  @Mixin CommonOptions.TransportOption transport;
  @Mixin CommonOptions.AuthOption auth;

  @Option(
      names = {"-w", "--workload"},
      paramLabel = "NAME",
      defaultValue = WorkloadOptions.NULL,
      description =
          "What the clients send: null (empty ops, or --request-size bytes) or ycsb (YCSB's core"
              + " workload from -P FILE and -p NAME=VALUE). Default: ${DEFAULT-VALUE}.")
  String workloadName;

  @Mixin WorkloadOptions workload;

  /** How long a load phase may go without one insert completing before the client gives up. */
  static final java.time.Duration LOAD_STALL = java.time.Duration.ofSeconds(30);

  private static final java.time.Duration LOAD_POLL = java.time.Duration.ofMillis(20);

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Also write the result to FILE.json (one object) or FILE.csv (header, row).")
  Path output;

  @Option(names = "--progress", hidden = true, description = "Print phase lines, for oskr bench.")
  boolean progress;

  @Mixin CommonOptions.ExitWithParent exitWithParent;

  @Override
  public Integer call() throws ConfigException, RunFailed, InterruptedException {
    load.checkOneRun();
    workload.check(workloadName);
    ResultFiles.requireWritable(spec, output);
    Protocol<?> protocol = protocolOption.protocol;
    Scheme scheme = auth.resolve(spec, protocol);
    exitWithParent.apply();
    Deployment loaded = config.load(protocol);
    Keyring keyring = loaded.clientKeyring(protocol, scheme);
    int clients = load.clients();
    int threadCount = load.threadsFor(clients);
    YcsbOps ycsb = null;
    if (workloadName.equals(WorkloadOptions.YCSB)) {
      CoreWorkload core = workload.workload();
      ycsb = new YcsbOps(core, clients, workload.load ? YcsbOps.Phase.LOAD : YcsbOps.Phase.RUN);
    }
    ClosedLoopDriver driver =
        ycsb != null
            ? new ClosedLoopDriver(ycsb)
            : new ClosedLoopDriver(Bytes.adopt(new byte[load.requestBytes]));
    ClosedLoopDriver.Window window;
    long cpuBefore;
    long cpuAfter;
    Map<String, Long> drops;
    Duration warmUp;
    // Completions by path at the window's ends (the load phase has no warm-up: from zero).
    ClosedLoopDriver.Paths pathsBefore = new ClosedLoopDriver.Paths(0, 0, 0, 0);
    ClosedLoopDriver.Paths pathsAfter;
    try (ClientHost host =
        ClientHost.start(
            protocol,
            loaded.config(),
            keyring,
            Options.defaults().withScheme(scheme),
            clients,
            threadCount,
            driver,
            transport.transport)) {
      if (ycsb != null && workload.load) {
        warmUp = Duration.ZERO;
        cpuBefore = ProcessCpu.nanos();
        phase(MEASURING);
        long start = System.nanoTime();
        awaitLoad(ycsb, host);
        window = driver.whole(Duration.ofNanos(System.nanoTime() - start));
        pathsAfter = driver.paths();
        cpuAfter = ProcessCpu.nanos();
        drops = host.drops();
        phase(MEASURED);
      } else {
        warmUp = warmUp(driver);
        cpuBefore = ProcessCpu.nanos();
        pathsBefore = driver.paths();
        driver.startWindow();
        phase(MEASURING);
        Thread.sleep(load.window());
        window = driver.endWindow();
        pathsAfter = driver.paths();
        cpuAfter = ProcessCpu.nanos();
        drops = host.drops();
        phase(MEASURED);
      }
      if (host.failure().isPresent()) {
        throw new RunFailed("a client failed: " + host.failure().get());
      }
    } catch (IOException e) {
      throw new RunFailed("cannot start the clients: " + e.getMessage());
    }
    OptionalDouble fastPathShare =
        BenchResult.Outcome.fastPathShare(
            pathsAfter.normal() - pathsBefore.normal(),
            pathsAfter.fast() - pathsBefore.fast(),
            pathsAfter.slow() - pathsBefore.slow());
    BenchResult result =
        result(protocol, loaded, threadCount, warmUp, window, cpuBefore, cpuAfter, fastPathShare);
    spec.commandLine().getOut().println(result.summary());
    ClosedLoopDriver.Paths paths = driver.paths();
    if (paths.fast() + paths.slow() + paths.resent() > 0) {
      spec.commandLine().getOut().println("completions (warm-up included): " + paths);
    }
    if (output != null) ResultFiles.write(output, List.of(result));
    if (result.outcome().ops() == 0) {
      throw new RunFailed(noCompletion(protocol, loaded, scheme, drops));
    }
    return Oskr.EXIT_OK;
  }

  /**
   * Why nothing completed, as far as a client can tell: the replicas are not there, run another
   * protocol, or authenticate with another scheme, which shows as replies this client dropped.
   */
  private String noCompletion(
      Protocol<?> protocol, Deployment loaded, Scheme scheme, Map<String, Long> drops) {
    String hint =
        "no request completed in "
            + load.durationSeconds
            + " s: are the replicas of "
            + loaded.configFile()
            + " running with -m "
            + protocol.name()
            + (protocol.usesSignatures() ? " --auth " + scheme.cliName() : "")
            + "?";
    if (drops.isEmpty()) return hint;
    return hint
        + " This client dropped replies it could not accept ("
        + drops
        + ")"
        + (protocol.usesSignatures() ? ": replicas with another --auth look like this." : ".");
  }

  private BenchResult result(
      Protocol<?> protocol,
      Deployment loaded,
      int threadCount,
      Duration warmUp,
      ClosedLoopDriver.Window window,
      long cpuBefore,
      long cpuAfter,
      OptionalDouble fastPathShare) {
    long windowNanos = window.length().toNanos();
    BenchResult.Cluster cluster =
        new BenchResult.Cluster(
            protocol.name(),
            protocol.usesSignatures() ? auth.scheme.cliName() : "none",
            loaded.config().n(),
            loaded.config().f(),
            OptionalInt.empty(),
            OptionalInt.empty());
    boolean ycsb = workloadName.equals(WorkloadOptions.YCSB);
    BenchResult.Workload sent =
        new BenchResult.Workload(
            load.clients(),
            threadCount,
            ycsb ? 0 : load.requestBytes,
            warmUp.toNanos() / 1e9,
            ycsb ? workload.resultName() : WorkloadOptions.NULL);
    List<BenchResult.KindOutcome> kinds = new ArrayList<>();
    for (ClosedLoopDriver.KindWindow kind : window.kinds()) {
      if (kind.ops() == 0) continue;
      kinds.add(
          new BenchResult.KindOutcome(
              kind.kind().toLowerCase(Locale.ROOT).replace('-', '_'),
              kind.ops(),
              kind.failed(),
              BenchResult.Latency.ofNanos(kind.latencyNanos())));
    }
    BenchResult.Outcome outcome =
        new BenchResult.Outcome(
            windowNanos / 1e9,
            window.ops(),
            BenchResult.Latency.ofNanos(window.latencyNanos()),
            kinds,
            fastPathShare);
    BenchResult.Host host =
        new BenchResult.Host(
            Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
            ProcessCpu.percent(cpuBefore, cpuAfter, windowNanos), OptionalDouble.empty());
    return new BenchResult(cluster, sent, outcome, host);
  }

  /**
   * Waits until every record of the load phase is in; fails if a client loop fails or no insert
   * completes for {@link #LOAD_STALL}.
   */
  private void awaitLoad(YcsbOps ycsb, ClientHost host) throws RunFailed, InterruptedException {
    long progress = -1;
    long progressNanos = System.nanoTime();
    while (!ycsb.loadComplete()) {
      if (host.failure().isPresent())
        throw new RunFailed("a client failed: " + host.failure().get());
      long completed = ycsb.loadCompleted();
      if (completed != progress) {
        progress = completed;
        progressNanos = System.nanoTime();
      } else if (System.nanoTime() - progressNanos > LOAD_STALL.toNanos()) {
        throw new RunFailed(
            "the load stalled at "
                + completed
                + " of "
                + ycsb.loadTotal()
                + " records: are the replicas running?");
      }
      Thread.sleep(LOAD_POLL);
    }
  }

  /** The fixed warm-up, or until throughput is stable; prints how the adaptive one ended. */
  private Duration warmUp(ClosedLoopDriver driver) throws InterruptedException {
    Optional<Duration> fixed = load.fixedWarmUp();
    if (fixed.isPresent()) {
      Thread.sleep(fixed.get());
      return fixed.get();
    }
    WarmUp.Result result =
        WarmUp.await(WarmUp.Rule.DEFAULT, driver::completedSoFar, System::nanoTime, Thread::sleep);
    PrintWriter out = spec.commandLine().getOut();
    out.println(result.describe());
    out.flush();
    return result.took();
  }

  private void phase(String line) {
    if (!progress) return;
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
  }
}
