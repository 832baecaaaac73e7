package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import oskr.bench.BenchResult;
import oskr.bench.ClosedLoopDriver;
import oskr.bench.ProcessCpu;
import oskr.core.Bytes;
import oskr.core.ConfigException;
import oskr.core.Limits;
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
      "  oskr client -m unreplicated -c deploy/local -t 8 -d 10 --warm-up 3 --output run.json"
    })
final class ClientCommand implements Callable<Integer> {
  static final int CLIENTS_MAX = 100_000;

  /** Printed on stdout with {@code --progress}, for {@code oskr bench} to sample replica CPU. */
  static final String MEASURING = "oskr client: measuring";

  static final String MEASURED = "oskr client: measured";

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Option(
      names = {"-m", "--protocol"},
      required = true,
      paramLabel = "PROTO",
      converter = Protocols.Converter.class,
      completionCandidates = Protocols.Names.class,
      description = "The protocol: ${COMPLETION-CANDIDATES}.")
  Protocol<?> protocol;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "deploy/NAME",
      description = "Read deploy/NAME.config and, if the protocol signs, deploy/NAME-ID.pem.")
  String deployment;

  @Option(
      names = {"-t", "--clients"},
      paramLabel = "CLIENTS",
      defaultValue = "1",
      description = "Concurrent clients, one request outstanding each. Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "The measured window. Default: ${DEFAULT-VALUE}.")
  double durationSeconds;

  @Option(
      names = "--warm-up",
      paramLabel = "SECONDS",
      defaultValue = "3",
      description = "Run and discarded before the window (JIT, caches). Default: ${DEFAULT-VALUE}.")
  double warmUpSeconds;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Client event-loop threads. Default: min(CLIENTS, 2), two loops keep up with the"
              + " replicas on the 2-core machines this was tuned on.")
  Integer threads;

  @Option(
      names = "--request-size",
      paramLabel = "BYTES",
      defaultValue = "0",
      description = "Operation size; 0 is the 0/0 benchmark. Default: ${DEFAULT-VALUE}.")
  int requestBytes;

  @Option(
      names = "--auth",
      paramLabel = "SCHEME",
      defaultValue = "secp256k1",
      converter = CommonOptions.SchemeConverter.class,
      completionCandidates = CommonOptions.SchemeNames.class,
      description =
          "The replicas' signature scheme: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  Scheme auth;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Also write the result to FILE.json (one object) or FILE.csv (header, row).")
  Path output;

  @Option(names = "--progress", hidden = true, description = "Print phase lines, for oskr bench.")
  boolean progress;

  @Option(names = "--exit-with-parent", hidden = true, description = "Used by oskr bench.")
  boolean exitWithParent;

  @Override
  public Integer call() throws ConfigException, RunFailed, InterruptedException {
    checkOptions();
    if (exitWithParent) ParentWatch.exitWithParent();
    Deployment loaded = Deployment.load(deployment, protocol);
    Keyring keyring = loaded.clientKeyring(protocol, auth);
    int threadCount = threads != null ? threads : Math.min(clients, 2);
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.adopt(new byte[requestBytes]));
    ClosedLoopDriver.Window window;
    long cpuBefore;
    long cpuAfter;
    try (ClientHost host =
        ClientHost.start(
            protocol,
            loaded.config(),
            keyring,
            Options.defaults().withScheme(auth),
            clients,
            threadCount,
            driver)) {
      Thread.sleep(Duration.ofNanos((long) (warmUpSeconds * 1e9)));
      cpuBefore = ProcessCpu.nanos();
      driver.startWindow();
      phase(MEASURING);
      Thread.sleep(Duration.ofNanos((long) (durationSeconds * 1e9)));
      window = driver.endWindow();
      cpuAfter = ProcessCpu.nanos();
      phase(MEASURED);
      if (host.failure().isPresent()) {
        throw new RunFailed("a client failed: " + host.failure().get());
      }
    } catch (IOException e) {
      throw new RunFailed("cannot start the clients: " + e.getMessage());
    }
    BenchResult result = result(loaded, threadCount, window, cpuBefore, cpuAfter);
    spec.commandLine().getOut().println(result.summaryLine());
    if (output != null) ResultFiles.write(output, List.of(result));
    if (result.outcome().ops() == 0) {
      throw new RunFailed(
          "no request completed in "
              + durationSeconds
              + " s: are the replicas of "
              + loaded.configFile()
              + " running with -m "
              + protocol.name()
              + "?");
    }
    return Oskr.EXIT_OK;
  }

  private void checkOptions() {
    CommonOptions.require(
        spec, clients >= 1 && clients <= CLIENTS_MAX, "-t must be 1.." + CLIENTS_MAX);
    CommonOptions.requireSeconds(spec, durationSeconds, "-d", false);
    CommonOptions.requireSeconds(spec, warmUpSeconds, "--warm-up", true);
    CommonOptions.require(
        spec,
        threads == null || (threads >= 1 && threads <= clients),
        "--threads must be 1..CLIENTS (" + clients + ")");
    CommonOptions.require(
        spec,
        requestBytes >= 0 && requestBytes <= Limits.OP_MAX,
        "--request-size must be 0.." + Limits.OP_MAX);
    CommonOptions.require(
        spec,
        output == null || ResultFiles.knownFormat(output),
        "--output must name a .json or .csv file, got " + output);
  }

  private BenchResult result(
      Deployment loaded,
      int threadCount,
      ClosedLoopDriver.Window window,
      long cpuBefore,
      long cpuAfter) {
    long windowNanos = window.length().toNanos();
    BenchResult.Cluster cluster =
        new BenchResult.Cluster(
            protocol.name(),
            protocol.usesSignatures() ? auth.cliName() : "none",
            loaded.config().n(),
            loaded.config().f(),
            OptionalInt.empty(),
            OptionalInt.empty());
    BenchResult.Workload workload =
        new BenchResult.Workload(clients, threadCount, requestBytes, warmUpSeconds);
    BenchResult.Outcome outcome =
        new BenchResult.Outcome(
            windowNanos / 1e9, window.ops(), BenchResult.Latency.ofNanos(window.latencyNanos()));
    BenchResult.Host host =
        new BenchResult.Host(
            Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
            ProcessCpu.percent(cpuBefore, cpuAfter, windowNanos), OptionalDouble.empty());
    return new BenchResult(cluster, workload, outcome, host);
  }

  private void phase(String line) {
    if (!progress) return;
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
  }
}
