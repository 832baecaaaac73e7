package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import oskr.bench.BenchResult;
import oskr.bench.Plots;
import oskr.bench.Report;
import oskr.bench.SweepRule;
import oskr.bench.SweepTable;
import oskr.core.ConfigException;
import oskr.core.crypto.Scheme;
import oskr.protocol.Protocol;

/**
 * {@code oskr bench --all}: every chosen protocol, in each chosen setting, on its own local cluster
 * (with YCSB, loaded first); for each, a sweep of client counts ({@link SweepRule}); then the
 * table, every point as CSV and JSON, the throughput-latency plots and {@code report.md}. Progress
 * goes to stderr.
 */
final class Evaluation {
  static final String POINTS_CSV = "points.csv";
  static final String POINTS_JSON = "points.json";
  static final String PLOT_SVG = "throughput-latency.svg";
  static final String PLOT_PNG = "throughput-latency.png";
  static final String REPORT = "report.md";

  /** What one adaptive warm-up is guessed to take, for the time-left estimate. */
  private static final Duration WARM_UP_GUESS = Duration.ofSeconds(20);

  /** Process start-up and shutdown around each run, for the time-left estimate. */
  private static final Duration RUN_OVERHEAD = Duration.ofSeconds(3);

  /** The clients of a YCSB load phase: more only add sockets once the replicas are busy. */
  private static final int LOAD_CLIENTS_MAX = 64;

  /** One protocol in one setting: a curve of the plot, a row of the table. */
  record Configuration(Protocol<?> protocol, int workers, int batch, int requestBytes) {
    String name(Optional<Scheme> auth) {
      StringBuilder name = new StringBuilder(protocol.name());
      auth.ifPresent(scheme -> name.append(", ").append(scheme.cliName()));
      name.append(", w").append(workers).append(", b").append(batch);
      if (requestBytes > 0) name.append(", ").append(requestBytes).append(" B");
      return name.toString();
    }
  }

  private final List<Configuration> configurations;
  private final ReplicaSettings replicaTemplate;
  private final LoadSettings loadTemplate;
  private final int faults;
  private final Optional<WorkloadOptions> ycsb;
  private final SweepRule rule;
  private final Path out;
  private final String command;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  Evaluation(
      List<Configuration> configurations,
      ReplicaSettings replicaTemplate,
      LoadSettings loadTemplate,
      int faults,
      Optional<WorkloadOptions> ycsb,
      SweepRule rule,
      Path out,
      String command,
      PrintWriter stdout,
      PrintWriter stderr) {
    this.configurations = List.copyOf(configurations);
    this.replicaTemplate = replicaTemplate;
    this.loadTemplate = loadTemplate;
    this.faults = faults;
    this.ycsb = ycsb;
    this.rule = rule;
    this.out = out;
    this.command = command;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The configurations of {@code protocols}: batch bounds only for protocols that batch. */
  static List<Configuration> configurations(
      List<Protocol<?>> protocols, EvaluationOptions options) {
    List<Configuration> all = new ArrayList<>();
    for (Protocol<?> protocol : protocols) {
      List<Integer> batches =
          protocol.defaultBatchSizeMax() == 1
              ? List.of(1)
              : options.batches != null ? options.batches : List.of(protocol.defaultBatchSizeMax());
      for (int workers : options.workers()) {
        for (int batch : batches) {
          for (int size : options.requestSizes()) {
            all.add(new Configuration(protocol, workers, batch, size));
          }
        }
      }
    }
    return all;
  }

  /** A folder name for results of a run started now. */
  static Path defaultFolder(Instant now) {
    return Path.of(
        "results",
        "eval-"
            + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now));
  }

  /** Runs every configuration's sweep and writes the results. */
  void run() throws RunFailed, ConfigException, InterruptedException {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new ConfigException("--out " + out + ": cannot create: " + Deployment.describe(e));
    }
    Instant started = Instant.now();
    List<Plots.Curve> curves = new ArrayList<>();
    List<BenchResult> points = new ArrayList<>();
    int pointsRun = 0;
    for (int i = 0; i < configurations.size(); i++) {
      Configuration configuration = configurations.get(i);
      ReplicaSettings replica = replicaSettings(configuration);
      Optional<Scheme> auth =
          configuration.protocol().usesSignatures()
              ? Optional.of(replica.scheme())
              : Optional.empty();
      String name = configuration.name(auth);
      LoadSettings load = loadSettings(configuration);
      List<BenchResult> runs = new ArrayList<>();
      try (LocalCluster cluster = LocalCluster.create(stderr)) {
        BenchRun run =
            new BenchRun(
                cluster,
                Optional.of(configuration.protocol()),
                faults,
                0,
                replica,
                load,
                ycsb,
                new CommonOptions.TransportOption());
        run.startServers();
        if (ycsb.isPresent()) {
          stderr.printf("[%d/%d] %s: loading the records%n", i + 1, configurations.size(), name);
          stderr.flush();
          stdout.println(run.runLoad(Math.min(rule.max(), LOAD_CLIENTS_MAX)).summary());
          stdout.flush();
        }
        for (OptionalInt next = rule.next(runs); next.isPresent(); next = rule.next(runs)) {
          progress(i, name, next.getAsInt(), pointsRun, runs.size(), load);
          BenchResult result = run.runClient(next.getAsInt());
          stdout.println(result.summaryLine());
          stdout.flush();
          runs.add(result);
          points.add(result);
          pointsRun++;
        }
      } catch (IOException e) {
        throw new RunFailed("cannot prepare the local cluster: " + e.getMessage());
      }
      curves.add(new Plots.Curve(name, runs));
    }
    stdout.println(SweepTable.header());
    for (Plots.Curve curve : curves) stdout.println(SweepTable.row(curve.runs()));
    write(curves, points, started, Duration.between(started, Instant.now()));
    stdout.println("results, plots and report in " + out);
    stdout.flush();
  }

  private ReplicaSettings replicaSettings(Configuration configuration) {
    ReplicaSettings settings = new ReplicaSettings();
    settings.workers = configuration.workers();
    settings.batchSizeMax = configuration.batch();
    settings.app = replicaTemplate.app;
    settings.stage = replicaTemplate.stage;
    settings.auth = new CommonOptions.AuthOption();
    // An --auth given applies to the protocols that authenticate; the others run without.
    Scheme given = replicaTemplate.auth.scheme;
    settings.auth.scheme =
        given != null && configuration.protocol().usesSignatures()
            ? given
            : configuration.protocol().defaultScheme();
    return settings;
  }

  private LoadSettings loadSettings(Configuration configuration) {
    LoadSettings load = new LoadSettings();
    load.durationSeconds = loadTemplate.durationSeconds;
    load.warmUpSeconds = loadTemplate.warmUpSeconds;
    load.threads = loadTemplate.threads;
    load.requestBytes = configuration.requestBytes();
    return load;
  }

  /** One line: where the evaluation is and at most how long is left. */
  private void progress(
      int configuration,
      String name,
      int clients,
      int pointsRun,
      int runsOfThis,
      LoadSettings load) {
    Duration perRun =
        load.fixedWarmUp().orElse(WARM_UP_GUESS).plus(load.window()).plus(RUN_OVERHEAD);
    long runsLeft = (long) (configurations.size() - configuration) * rule.maxRuns() - runsOfThis;
    Duration left = perRun.multipliedBy(Math.max(1, runsLeft));
    stderr.printf(
        "[%d/%d] %s: %d client%s (point %d; at most %d min %02d s left)%n",
        configuration + 1,
        configurations.size(),
        name,
        clients,
        clients == 1 ? "" : "s",
        pointsRun + 1,
        left.toMinutes(),
        left.toSecondsPart());
    stderr.flush();
  }

  private void write(
      List<Plots.Curve> curves, List<BenchResult> points, Instant started, Duration took)
      throws ConfigException {
    ResultFiles.write(out.resolve(POINTS_CSV), points);
    ResultFiles.write(out.resolve(POINTS_JSON), points);
    Report.Machine machine = Report.Machine.current();
    try {
      Plots.write(
          curves,
          "Throughput and latency, " + machine.cores() + " cores, loopback",
          out.resolve(PLOT_SVG),
          out.resolve(PLOT_PNG));
      String report =
          Report.markdown(
              command,
              DateTimeFormatter.ISO_INSTANT.format(
                  started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
              took,
              machine,
              curves,
              List.of(PLOT_SVG, PLOT_PNG));
      Files.writeString(out.resolve(REPORT), report, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(out + ": cannot write the results: " + Deployment.describe(e));
    }
  }
}
