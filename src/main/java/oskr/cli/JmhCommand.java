package oskr.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code oskr jmh}: the micro-benchmarks in {@code oskr.jmh} (codecs, crypto, digests, stage
 * hand-offs), with JMH's own options passed through unchanged.
 */
@Command(
    name = "jmh",
    description =
        "Run the JMH micro-benchmarks (codec, crypto, SHA-256, stage); JMH options pass through.",
    footer = {
      "%nExamples:",
      "  oskr jmh -f 1 -wi 3 -i 5                 # every benchmark",
      "  oskr jmh CryptoBenchmark -f 1 -wi 3 -i 5  # one class (a regular expression)",
      "  oskr jmh -h                               # this help, then JMH's options"
    })
final class JmhCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Every argument, in its order: JMH parses them, so options keep their values. */
  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws RunnerException, java.io.IOException {
    if (arguments.contains("-h") || arguments.contains("--help")) {
      // Ours first, with the examples; then JMH's own options, which pass through.
      PrintWriter out = spec.commandLine().getOut();
      spec.commandLine().usage(out);
      out.println();
      out.println("JMH's options:");
      out.flush();
      org.openjdk.jmh.Main.main(new String[] {"-h"});
      return Oskr.EXIT_OK;
    }
    org.openjdk.jmh.Main.main(arguments.toArray(String[]::new));
    return Oskr.EXIT_OK;
  }
}
