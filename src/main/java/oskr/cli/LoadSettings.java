package oskr.cli;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.bench.WarmUp;
import oskr.core.Limits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The closed-loop load, as {@code oskr client} takes it and {@code oskr bench} passes it on: {@code
 * -t}, {@code -d}, {@code --warm-up}, {@code --threads} and {@code --request-size}.
 */
final class LoadSettings {
  static final int CLIENTS_MAX = 100_000;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Null when not given: {@code oskr bench} then takes the counts of {@code --sweep}. */
  @Option(
      names = {"-t", "--clients"},
      paramLabel = "CLIENTS",
      description = "Concurrent clients, one request outstanding each. Default: 1.")
  Integer clients;

  @Option(
      names = {"-d", "--duration"},
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "The measured window of each run. Default: ${DEFAULT-VALUE}.")
  double durationSeconds;

  /** Null when not given: the warm-up then lasts until throughput is stable ({@link WarmUp}). */
  @Option(
      names = "--warm-up",
      paramLabel = "SECONDS",
      description =
          "Run and discarded before the window (JIT, caches). Default: until throughput is"
              + " stable (successive 5 s spans within 5 %%), at least 10 s, at most 90 s; the time"
              + " it took is printed.")
  Double warmUpSeconds;

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

  /** {@code -t}, else 1. */
  int clients() {
    return clients != null ? clients : 1;
  }

  /** The event-loop threads for {@code count} clients: at most one a client. */
  int threadsFor(int count) {
    return threads != null ? Math.min(threads, count) : Math.min(count, 2);
  }

  /** The fixed warm-up, if {@code --warm-up} gave one. */
  Optional<Duration> fixedWarmUp() {
    return Optional.ofNullable(warmUpSeconds)
        .map(seconds -> Duration.ofNanos((long) (seconds * 1e9)));
  }

  /** The longest the warm-up may take: the fixed one, else the adaptive one's cap. */
  Duration warmUpBound() {
    return fixedWarmUp().orElse(WarmUp.Rule.DEFAULT.cap());
  }

  Duration window() {
    return Duration.ofNanos((long) (durationSeconds * 1e9));
  }

  /** Files a client process keeps open besides one socket a client: jars, selectors, pipes. */
  static final long SPARE_FILES = 256;

  /**
   * Why a process with {@code openFiles} of {@code maxFiles} open cannot open a socket for each of
   * {@code clients} clients, if it cannot: said before the run rather than as "Too many open files"
   * from inside it.
   */
  static Optional<String> socketShortage(int clients, long maxFiles, long openFiles) {
    if (openFiles + clients + SPARE_FILES <= maxFiles) return Optional.empty();
    long possible = Math.max(0, maxFiles - openFiles - SPARE_FILES);
    return Optional.of(
        "-t "
            + clients
            + " needs a socket per client, and this process may open "
            + maxFiles
            + " files (ulimit -n): raise the limit or run at most "
            + possible
            + " clients");
  }

  /** {@link #socketShortage} for this process, where the JVM tells its file limits. */
  private void requireSockets(int clients) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
      socketShortage(clients, os.getMaxFileDescriptorCount(), os.getOpenFileDescriptorCount())
          .ifPresent(reason -> CommonOptions.require(spec, false, reason));
    }
  }

  /** {@code oskr client}: one run of {@code -t} clients, {@code --threads} at most one a client. */
  void checkOneRun() {
    CommonOptions.require(
        spec, clients() >= 1 && clients() <= CLIENTS_MAX, "-t must be 1.." + CLIENTS_MAX);
    requireSockets(clients());
    checkWindow();
    CommonOptions.require(
        spec,
        threads == null || (threads >= 1 && threads <= clients()),
        "--threads must be 1..CLIENTS (" + clients() + ")");
    checkRequestSize();
  }

  /**
   * {@code oskr bench}: one run per count of {@code counts}, {@code --threads} capped at each count
   * by {@link #clientArgs}.
   */
  void checkRuns(List<Integer> counts) {
    for (int count : counts) {
      CommonOptions.require(
          spec,
          count >= 1 && count <= CLIENTS_MAX,
          "client counts must be 1.." + CLIENTS_MAX + ", got " + count);
    }
    requireSockets(counts.stream().mapToInt(Integer::intValue).max().orElse(1));
    checkWindow();
    CommonOptions.require(spec, threads == null || threads >= 1, "--threads must be positive");
    checkRequestSize();
  }

  private void checkWindow() {
    CommonOptions.requireSeconds(spec, durationSeconds, "-d", false);
    if (warmUpSeconds != null) {
      CommonOptions.requireSeconds(spec, warmUpSeconds, "--warm-up", true);
    }
  }

  private void checkRequestSize() {
    CommonOptions.require(
        spec,
        requestBytes >= 0 && requestBytes <= Limits.OP_MAX,
        "--request-size must be 0.." + Limits.OP_MAX);
  }

  /** These settings as {@code oskr client} arguments for a run of {@code count} clients. */
  List<String> clientArgs(int count) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-t",
                Integer.toString(count),
                "-d",
                Double.toString(durationSeconds),
                "--request-size",
                Integer.toString(requestBytes)));
    if (warmUpSeconds != null) args.addAll(List.of("--warm-up", Double.toString(warmUpSeconds)));
    if (threads != null) args.addAll(List.of("--threads", Integer.toString(threadsFor(count))));
    return args;
  }
}
