package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import oskr.bench.BenchResult;
import oskr.bench.SweepTable;
import oskr.core.ConfigException;
import oskr.core.Limits;
import oskr.protocol.Protocol;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr bench}: a whole benchmark on loopback. Writes a config and keys to a temporary
 * folder, starts the replicas and then the client as child processes of this java and jar, prints
 * the result, and leaves no process or file behind, also on failure or Ctrl-C.
 */
@Command(
    name = "bench",
    description = {
      "Benchmark a local cluster on loopback: replicas, client, result, cleanup.",
      "Starts the replicas and the client as child processes on 127.0.0.1, prints the result and"
          + " stops everything, also on failure or Ctrl-C.",
      "-m udp-echo measures the raw limit: a UDP echo server with the same client loop, no"
          + " protocol."
    },
    sortOptions = false,
    footer = {
      "%nExamples:",
      "  oskr bench -m unreplicated -t 8 -d 10 --output run.json",
      "  oskr bench -m unreplicated-signed -w 2 --auth ed25519 --sweep 1,2,4,8,16",
      "  oskr bench -m pbft --workload ycsb -P workloads/workloadc -a rocksdb -t 32",
      "  oskr bench --all --quick --out results/quick",
      "  oskr bench -m pbft -t 8 -d 10 --hosts hosts.txt"
    })
final class BenchCommand implements Callable<Integer> {
  static final String UDP_ECHO = "udp-echo";

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  /** Null for an evaluation of every protocol ({@code --all}). */
  @Option(
      names = {"-m", "--protocol"},
      paramLabel = "PROTO",
      completionCandidates = Names.class,
      description =
          "The protocol, or udp-echo for the raw UDP limit: ${COMPLETION-CANDIDATES}. Without"
              + " it: every protocol (--all).")
  String protocolName;

  /** Every registered protocol, and the raw UDP limit. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> names = new ArrayList<>(Protocols.names());
      names.add(UDP_ECHO);
      return names.iterator();
    }
  }

  @Mixin LoadSettings load;

  @Option(
      names = "--sweep",
      paramLabel = "C1,C2,...",
      split = ",",
      hideParamSyntax = true,
      description =
          "Run once per client count and print the results table's row: max throughput, min median"
              + " latency (instead of -t).")
  List<Integer> sweep;

  @Option(
      names = {"-f", "--faults"},
      paramLabel = "F",
      defaultValue = "1",
      description =
          "Faults tolerated; the bench starts the fewest replicas the protocol needs for it"
              + " (Unreplicated: one). Default: ${DEFAULT-VALUE}.")
  int faults;

  @Option(
      names = "--down",
      paramLabel = "K",
      defaultValue = "0",
      description =
          "Replicas down for the whole run: the last K (the highest ids, backups) are never"
              + " started, at most f; e.g. Zyzzyva's slow path. Default: ${DEFAULT-VALUE}.")
  int down;

  @Mixin ReplicaSettings replica;

  @Mixin CommonOptions.TransportOption transport;

  @Mixin EvaluationOptions evaluation;

  @Option(
      names = "--workload",
      paramLabel = "NAME",
      defaultValue = WorkloadOptions.NULL,
      description =
          "What the clients send: null or ycsb (-P FILE, -p NAME=VALUE). With ycsb the bench loads"
              + " the records first (as 'oskr client --load', with the most clients of the runs),"
              + " then runs; the app defaults to kv. Default: ${DEFAULT-VALUE}.")
  String workloadName;

  @Mixin WorkloadOptions workload;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Also write the result to FILE.json or FILE.csv (a sweep: all runs).")
  Path output;

  @Option(
      names = "--hosts",
      paramLabel = "FILE",
      description =
          "Run on the hosts of FILE over ssh instead of on loopback: lines 'replica|client"
              + " USER@ADDRESS[:PORT] WORKDIR [java=PATH]'; copies the program, config and keys,"
              + " starts replicas and clients (-t on each client host), prints each client host's"
              + " result and stops everything it started.")
  Path hostsFile;

  @Option(
      names = "--ssh-config",
      paramLabel = "FILE",
      description = "With --hosts: the ssh_config file ssh and scp read (-F): identity, host keys.")
  Path sshConfig;

  @Override
  public Integer call() throws ConfigException, RunFailed, InterruptedException {
    if (hostsFile != null) return remote();
    CommonOptions.require(spec, sshConfig == null, "--ssh-config belongs to --hosts");
    if (protocolName == null || evaluation.all) return evaluate();
    CommonOptions.require(
        spec,
        !evaluation.anyGiven(),
        "--protocols, --workers, --batches, --request-sizes, --out and --quick belong to an"
            + " evaluation of every protocol: give --all instead of -m");
    Optional<Protocol<?>> protocol = checkOptions();
    List<Integer> clientCounts = clientCounts();
    PrintWriter out = spec.commandLine().getOut();
    List<BenchResult> results = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.create(spec.commandLine().getErr())) {
      BenchRun run =
          new BenchRun(
              cluster,
              protocol,
              faults,
              down,
              replica,
              load,
              ycsb() ? Optional.of(workload) : Optional.empty(),
              transport);
      run.startServers();
      if (ycsb()) {
        BenchResult loaded = run.runLoad(clientCounts.stream().max(Integer::compare).orElse(1));
        out.println(loaded.summary());
        out.flush();
      }
      for (int count : clientCounts) {
        BenchResult result = run.runClient(count);
        out.println(result.summary());
        out.flush();
        results.add(result);
      }
    } catch (IOException e) {
      throw new RunFailed("cannot prepare the local cluster: " + e.getMessage());
    }
    if (clientCounts.size() > 1) {
      out.println(SweepTable.header());
      out.println(SweepTable.row(results));
    }
    if (output != null) ResultFiles.write(output, results);
    return Oskr.EXIT_OK;
  }

  /** {@code --hosts}: one run on a real cluster over ssh. */
  private int remote() throws ConfigException, RunFailed, InterruptedException {
    CommonOptions.require(
        spec,
        protocolName != null && !protocolName.equals(UDP_ECHO) && !evaluation.all,
        "--hosts runs one protocol: give -m PROTO (not udp-echo, not --all)");
    CommonOptions.require(
        spec, !evaluation.anyGiven(), "--hosts runs one protocol: no evaluation options");
    CommonOptions.require(
        spec, sweep == null, "--hosts runs one client count: give -t, not --sweep");
    CommonOptions.require(spec, !ycsb(), "--hosts runs the null workload (--workload null)");
    CommonOptions.require(spec, down == 0, "--down is for a loopback run, not --hosts");
    CommonOptions.require(
        spec, transport.args().isEmpty(), "--transport is for a loopback run, not --hosts");
    Protocol<?> protocol = checkOptions().orElseThrow();
    CommonOptions.require(
        spec, !replica.app("null").durable(), "--hosts runs an in-memory app (-a null or kv)");
    List<HostsFile.Host> hosts = List.of();
    try {
      hosts = HostsFile.read(hostsFile);
    } catch (HostsFileException e) {
      CommonOptions.require(spec, false, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    List<BenchResult> results;
    Ssh ssh = new Ssh(Optional.ofNullable(sshConfig));
    try (RemoteBench bench =
        new RemoteBench(hosts, ssh, protocol, faults, replica, load, spec.commandLine().getErr())) {
      results = bench.run();
    } catch (java.io.IOException e) {
      throw new RunFailed("the remote cluster failed: " + e.getMessage());
    }
    for (BenchResult result : results) out.println(result.summary());
    if (results.size() > 1) {
      double total = 0;
      for (BenchResult result : results)
        total += result.outcome().ops() / result.outcome().durationSeconds();
      out.printf(
          java.util.Locale.ROOT, "total: %.0f ops/s from %d client hosts%n", total, results.size());
    }
    out.flush();
    if (output != null) ResultFiles.write(output, results);
    return Oskr.EXIT_OK;
  }

  /** {@code --all}: every protocol (or {@code --protocols}), swept, with table, plots, report. */
  private int evaluate() throws ConfigException, RunFailed, InterruptedException {
    CommonOptions.require(spec, protocolName == null, "give either -m or --all, not both");
    CommonOptions.require(
        spec,
        load.clients == null && sweep == null && output == null,
        "--all sweeps client counts itself and writes into --out: -t, --sweep and -o do not"
            + " apply");
    CommonOptions.require(spec, down == 0, "--down is for a run of one protocol (-m)");
    CommonOptions.require(
        spec,
        transport.args().isEmpty(),
        "--transport is for a run of one protocol (-m): an evaluation runs on the default");
    List<Protocol<?>> protocols = new ArrayList<>();
    try {
      if (evaluation.protocols == null) {
        protocols.addAll(oskr.registry.ProtocolRegistry.all());
      } else {
        for (String name : evaluation.protocols) protocols.add(Protocols.byName(name));
      }
    } catch (IllegalArgumentException e) {
      CommonOptions.require(spec, false, "--protocols: " + e.getMessage());
    }
    evaluation.check();
    requireFaults();
    CommonOptions.require(
        spec,
        !spec.commandLine().getParseResult().hasMatchedOption("-w"),
        "-w: an evaluation takes --workers (a list) instead");
    replica.checkWorkersOnly();
    workload.check(workloadName);
    CommonOptions.require(
        spec, !workload.load, "oskr bench loads before it runs: --load is for oskr client");
    CommonOptions.require(
        spec,
        replica.db == null,
        "--db does not apply to --all: each protocol's cluster keeps its stores in its own"
            + " temporary folder");
    boolean given = spec.commandLine().getParseResult().hasMatchedOption("-d");
    if (evaluation.quick) {
      if (!given) load.durationSeconds = 2;
      if (load.warmUpSeconds == null) load.warmUpSeconds = 2.0;
    }
    load.checkRuns(List.of(1));
    Path out =
        evaluation.out != null ? evaluation.out : Evaluation.defaultFolder(java.time.Instant.now());
    String command = "oskr " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    new Evaluation(
            Evaluation.configurations(protocols, evaluation),
            replica,
            load,
            faults,
            ycsb() ? Optional.of(workload) : Optional.empty(),
            evaluation.quick ? oskr.bench.SweepRule.QUICK : oskr.bench.SweepRule.FULL,
            out,
            command.strip(),
            spec.commandLine().getOut(),
            spec.commandLine().getErr())
        .run();
    return Oskr.EXIT_OK;
  }

  /** {@code -f}: no more faults than the largest cluster tolerates. */
  private void requireFaults() {
    CommonOptions.require(
        spec,
        faults >= 0 && 3 * faults + 1 <= Limits.REPLICAS_MAX,
        "-f must be 0.." + (Limits.REPLICAS_MAX - 1) / 3);
  }

  /** Checks the options; the protocol, empty for udp-echo. */
  private Optional<Protocol<?>> checkOptions() {
    Optional<Protocol<?>> protocol = Optional.empty();
    if (!protocolName.equals(UDP_ECHO)) {
      try {
        protocol = Optional.of(Protocols.byName(protocolName));
      } catch (IllegalArgumentException e) {
        CommonOptions.require(spec, false, e.getMessage() + " or " + UDP_ECHO);
      }
    }
    CommonOptions.require(
        spec, load.clients == null || sweep == null, "give either -t or --sweep, not both");
    load.checkRuns(clientCounts());
    requireFaults();
    CommonOptions.require(
        spec,
        down == 0 || (down > 0 && protocol.isPresent()),
        "--down must be 0 or more, and needs a protocol (not udp-echo)");
    if (protocol.isPresent()) {
      replica.check(protocol.get());
    } else {
      replica.checkWithoutProtocol(UDP_ECHO);
    }
    CommonOptions.require(
        spec,
        replica.db == null || java.nio.file.Files.isDirectory(replica.db),
        "--db must name a folder for the replicas' stores: " + replica.db);
    CommonOptions.require(
        spec,
        replica.db == null || replica.app(ycsb() ? "kv" : "null").durable(),
        "--db is for the durable stores (-a sqlite, -a rocksdb)");
    workload.check(workloadName);
    CommonOptions.require(
        spec, !workload.load, "oskr bench loads before it runs: --load is for oskr client");
    CommonOptions.require(
        spec, !ycsb() || protocol.isPresent(), "--workload ycsb needs a protocol, not udp-echo");
    ResultFiles.requireWritable(spec, output);
    return protocol;
  }

  boolean ycsb() {
    return workloadName.equals(WorkloadOptions.YCSB);
  }

  /** The client count of each run: {@code --sweep}, else {@code -t}, else 1. */
  private List<Integer> clientCounts() {
    return sweep != null ? sweep : List.of(load.clients());
  }
}
