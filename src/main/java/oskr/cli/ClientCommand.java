package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import oskr.bench.BenchResult;
import oskr.bench.ClosedLoopDriver;
import oskr.bench.ProcessCpu;
import oskr.core.Bytes;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
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
  /** Printed on stdout with {@code --progress}, for {@code oskr bench} to sample replica CPU. */
  static final String MEASURING = "oskr client: measuring";

  static final String MEASURED = "oskr client: measured";

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Mixin CommonOptions.ProtocolOption protocolOption;
  @Mixin CommonOptions.ConfigOption config;
  @Mixin LoadSettings load;
  @Mixin CommonOptions.AuthOption auth;

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
    ResultFiles.requireKnownFormat(spec, output);
    exitWithParent.apply();
    Protocol<?> protocol = protocolOption.protocol;
    Deployment loaded = config.load(protocol);
    Keyring keyring = loaded.clientKeyring(protocol, auth.scheme);
    int clients = load.clients();
    int threadCount = load.threadsFor(clients);
    ClosedLoopDriver driver = new ClosedLoopDriver(Bytes.adopt(new byte[load.requestBytes]));
    ClosedLoopDriver.Window window;
    long cpuBefore;
    long cpuAfter;
    try (ClientHost host =
        ClientHost.start(
            protocol,
            loaded.config(),
            keyring,
            Options.defaults().withScheme(auth.scheme),
            clients,
            threadCount,
            driver)) {
      Thread.sleep(load.warmUp());
      cpuBefore = ProcessCpu.nanos();
      driver.startWindow();
      phase(MEASURING);
      Thread.sleep(load.window());
      window = driver.endWindow();
      cpuAfter = ProcessCpu.nanos();
      phase(MEASURED);
      if (host.failure().isPresent()) {
        throw new RunFailed("a client failed: " + host.failure().get());
      }
    } catch (IOException e) {
      throw new RunFailed("cannot start the clients: " + e.getMessage());
    }
    BenchResult result = result(protocol, loaded, threadCount, window, cpuBefore, cpuAfter);
    spec.commandLine().getOut().println(result.summaryLine());
    ClosedLoopDriver.Paths paths = driver.paths();
    if (paths.fast() + paths.slow() + paths.resent() > 0) {
      spec.commandLine().getOut().println("completions (warm-up included): " + paths);
    }
    if (output != null) ResultFiles.write(output, List.of(result));
    if (result.outcome().ops() == 0) {
      throw new RunFailed(
          "no request completed in "
              + load.durationSeconds
              + " s: are the replicas of "
              + loaded.configFile()
              + " running with -m "
              + protocol.name()
              + "?");
    }
    return Oskr.EXIT_OK;
  }

  private BenchResult result(
      Protocol<?> protocol,
      Deployment loaded,
      int threadCount,
      ClosedLoopDriver.Window window,
      long cpuBefore,
      long cpuAfter) {
    long windowNanos = window.length().toNanos();
    BenchResult.Cluster cluster =
        new BenchResult.Cluster(
            protocol.name(),
            protocol.usesSignatures() ? auth.scheme.cliName() : "none",
            loaded.config().n(),
            loaded.config().f(),
            OptionalInt.empty(),
            OptionalInt.empty());
    BenchResult.Workload workload =
        new BenchResult.Workload(
            load.clients(), threadCount, load.requestBytes, load.warmUpSeconds);
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
