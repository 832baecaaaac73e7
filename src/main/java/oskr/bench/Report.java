package oskr.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code report.md} of an evaluation: what ran where, the results table, the plots, and the
 * command that reruns it.
 */
public final class Report {
  private Report() {}

  /** The machine the numbers belong to. */
  public record Machine(int cores, String cpu, String kernel, String jdk) {
    /** This machine: the CPU model from /proc/cpuinfo where there is one. */
    public static Machine current() {
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          cpuModel(Path.of("/proc/cpuinfo")).orElse(System.getProperty("os.arch")),
          System.getProperty("os.name") + " " + System.getProperty("os.version"),
          System.getProperty("java.vm.vendor") + " " + Runtime.version());
    }

    static Optional<String> cpuModel(Path cpuinfo) {
      try {
        return Files.readAllLines(cpuinfo, StandardCharsets.UTF_8).stream()
            .filter(line -> line.startsWith("model name"))
            .map(line -> line.substring(line.indexOf(':') + 1).strip())
            .findFirst();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * The report's text.
   *
   * @param command the command line that made it, to run it again
   * @param started when it started, for the reader
   * @param took how long it ran
   * @param plots the file names of the plots beside the report: SVG, then PNG
   */
  public static String markdown(
      String command,
      String started,
      Duration took,
      Machine machine,
      List<Plots.Curve> curves,
      List<String> plots) {
    StringBuilder text = new StringBuilder();
    text.append("# Oskr evaluation\n\n");
    text.append("Command: `").append(command).append("`\n\n");
    text.append("Started ")
        .append(started)
        .append(", ran ")
        .append(took.toMinutes())
        .append(" min ")
        .append(took.toSecondsPart())
        .append(" s.\n\n");
    text.append("## Machine\n\n");
    text.append("- cores: ").append(machine.cores()).append('\n');
    text.append("- CPU: ").append(machine.cpu()).append('\n');
    text.append("- kernel: ").append(machine.kernel()).append('\n');
    text.append("- JDK: ").append(machine.jdk()).append("\n\n");
    text.append(
        "Every replica and the clients ran on this machine, over loopback. Absolute numbers depend"
            + " on the machine; the ratios between protocols carry over better.\n\n");
    text.append("## Results\n\n");
    text.append(SweepTable.header()).append('\n');
    for (Plots.Curve curve : curves) {
      if (!curve.runs().isEmpty()) text.append(SweepTable.row(curve.runs())).append('\n');
    }
    text.append(
        "\nMaximum throughput is the best of the sweep (its client count in brackets), minimum"
            + " median latency the one-client run.\n\n");
    text.append("## Throughput and latency\n\n");
    text.append("![throughput-latency](").append(plots.get(1)).append(")\n\n");
    text.append("Also as [SVG](").append(plots.get(0)).append(").\n\n");
    text.append("## Every point\n\n");
    text.append("|Configuration|Clients|Throughput (ops/s)|p50 (us)|p99 (us)|p99.9 (us)|\n");
    text.append("|---|---:|---:|---:|---:|---:|\n");
    for (Plots.Curve curve : curves) {
      for (BenchResult run : curve.runs()) {
        BenchResult.Latency latency = run.outcome().latency();
        text.append(
            String.format(
                java.util.Locale.ROOT,
                "|%s|%d|%.1f|%.1f|%.1f|%.1f|%n",
                curve.name(),
                run.workload().clients(),
                run.outcome().throughputOpsPerSecond(),
                latency.p50Micros(),
                latency.p99Micros(),
                latency.p999Micros()));
      }
    }
    return text.toString();
  }
}
