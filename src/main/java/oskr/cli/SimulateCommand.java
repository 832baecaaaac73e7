package oskr.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.Callable;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;
import oskr.sim.dst.DstRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr simulate}: deterministic simulation testing. {@code --seed S} alone replays one run
 * exactly (the same text every time); {@code --seeds N} runs N seeds from S, or from a random S
 * that is printed, and stops at the first failure with its seed, property and trace.
 */
@Command(
    name = "simulate",
    description = {
      "Run a protocol in the deterministic simulator: random KV workloads, network faults,"
          + " partitions, crashes, timer skew and Byzantine replicas, all drawn from a seed, then"
          + " check agreement, exactly-once execution, linearizability and liveness."
    },
    sortOptions = false,
    footer = {
      "%nExamples:",
      "  oskr simulate -m unreplicated --seeds 10000",
      "  oskr simulate -m unreplicated --seed 42 --trace",
      "  oskr simulate -m pbft --seeds 1000"
    })
final class SimulateCommand implements Callable<Integer> {
  /** Random starting seeds stay below this, short enough to type back. */
  static final long RANDOM_SEED_BOUND = 1L << 31;

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Option(
      names = {"-m", "--protocol"},
      required = true,
      paramLabel = "TARGET",
      completionCandidates = TargetNames.class,
      description =
          "What to test: ${COMPLETION-CANDIDATES} (pbft runs with MACs, as oskr replica and bench"
              + " do by default; pbft-ed25519 signs).")
  String targetName;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "The (first) seed; alone, replays exactly that run. Default: a random seed.")
  Long seed;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      description = "Run N seeds from S, stopping at the first failure.")
  Long seeds;

  @Option(names = "--trace", description = "With a single seed: print every event of the run.")
  boolean trace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CommonOptions.require(spec, seeds == null || seeds >= 1, "--seeds must be at least 1");
    CommonOptions.require(
        spec,
        seeds == null || !trace,
        "--trace prints one run: give --seed S without --seeds (a failing seed of a range is"
            + " printed with its events already)");
    Optional<SimulationTarget<?>> target = ProtocolRegistry.findTarget(targetName);
    CommonOptions.require(
        spec,
        target.isPresent(),
        "no simulation testing for '"
            + targetName
            + "', expected one of "
            + String.join(", ", ProtocolRegistry.targetNames()));
    try (PrintStream stream = new PrintStream(new LinesTo(out), true, StandardCharsets.UTF_8);
        PrintStream errors = new PrintStream(new LinesTo(err), true, StandardCharsets.UTF_8)) {
      long first = seed != null ? seed : randomSeed(stream);
      if (seeds == null) return DstRunner.replay(target.get(), first, trace, stream);
      return DstRunner.range(target.get(), first, seeds, stream, errors);
    }
  }

  /** The simulation targets' names, for help and completion. */
  static final class TargetNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return ProtocolRegistry.targetNames().iterator();
    }
  }

  private static long randomSeed(PrintStream out) {
    long drawn = new SecureRandom().nextLong(RANDOM_SEED_BOUND);
    out.println("random seed " + drawn + " (pass --seed " + drawn + " to run it again)");
    return drawn;
  }

  /**
   * Bytes printed to a PrintStream, passed on to our PrintWriter: decoded per line or flush, where
   * a PrintStream never splits a character.
   */
  private static final class LinesTo extends OutputStream {
    private final PrintWriter out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LinesTo(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      pending.write(b);
      if (b == '\n') flush();
    }

    @Override
    public void flush() {
      out.print(pending.toString(StandardCharsets.UTF_8));
      out.flush();
      pending.reset();
    }

    @Override
    public void close() {
      flush();
    }
  }
}
