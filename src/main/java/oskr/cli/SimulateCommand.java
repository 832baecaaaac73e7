package oskr.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import oskr.protocol.Protocol;
import oskr.sim.SimulateDemo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code oskr simulate}: one seeded run of the deterministic simulator; the same seed, the same
 * run.
 */
@Command(
    name = "simulate",
    description = "Run a protocol in the deterministic simulator with faults drawn from a seed.",
    sortOptions = false,
    footer = {"%nExample:", "  oskr simulate -m unreplicated --seed 42"})
final class SimulateCommand implements Callable<Integer> {
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
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "The seed of the schedule and the faults. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (PrintStream stream = new PrintStream(new LinesTo(out), true, StandardCharsets.UTF_8)) {
      return SimulateDemo.run(protocol.name(), seed, stream);
    }
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
