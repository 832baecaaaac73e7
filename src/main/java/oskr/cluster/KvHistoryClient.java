package oskr.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import oskr.cli.Deployment;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.registry.ProtocolRegistry;
import oskr.runtime.ClientHost;

/**
 * Closed-loop KV clients against running replicas ({@code -a kv}) that record every operation and
 * write the history to a file, for the fault tests on real processes and the soak:
 *
 * <pre>
 *   java -cp oskr.jar oskr.cluster.KvHistoryClient -m PROTO -c deploy/NAME -t CLIENTS -d SECONDS
 *       -o HISTORY [--rate OPS] [--until FILE] [--check]
 *   java -cp oskr.jar oskr.cluster.KvHistoryClient --check-history HISTORY
 * </pre>
 *
 * {@code --rate} bounds the operations per second of all clients together (default: none), so that
 * a long run's history stays small enough to check.
 *
 * <p>After SECONDS (or once FILE exists, for a test that injects faults on its own schedule) the
 * workload stops and client 0 reads every key once more. With {@code --check} it then checks the
 * history (linearizable, no acknowledged write lost) and exits 1 if it fails; {@code
 * --check-history} checks a history written before, without running anything.
 */
public final class KvHistoryClient {
  /** Printed once the clients run. */
  public static final String RUNNING = "oskr kv-history: running";

  /** How long the final reads may take, e.g. while a view change completes. */
  static final Duration FINAL_READS = Duration.ofSeconds(30);

  static final int KEYS = 8;

  private KvHistoryClient() {}

  public static void main(String[] args) throws Exception {
    String protocolName = null;
    String base = null;
    int clients = 4;
    double seconds = 10;
    Path out = null;
    boolean check = false;
    Path until = null;
    double rate = 0;
    Path written = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "-m" -> protocolName = args[++i];
        case "-c" -> base = args[++i];
        case "-t" -> clients = Integer.parseInt(args[++i]);
        case "-d" -> seconds = Double.parseDouble(args[++i]);
        case "-o" -> out = Path.of(args[++i]);
        case "--check" -> check = true;
        case "--until" -> until = Path.of(args[++i]);
        case "--rate" -> rate = Double.parseDouble(args[++i]);
        case "--check-history" -> written = Path.of(args[++i]);
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (written != null) {
      try {
        System.exit(check(History.read(written)));
      } catch (IOException e) {
        System.err.println("oskr kv-history: cannot read the history: " + e.getMessage());
        System.exit(2);
      }
    }
    if (protocolName == null || base == null || out == null) usage("-m, -c and -o are required");
    System.exit(
        run(
            ProtocolRegistry.byName(protocolName),
            base,
            clients,
            rate,
            seconds,
            until,
            out,
            check));
  }

  private static void usage(String problem) {
    System.err.println(
        "oskr kv-history: "
            + problem
            + "\n"
            + "usage: KvHistoryClient -m PROTO -c deploy/NAME [-t CLIENTS] [-d SECONDS] [--rate"
            + " OPS] -o FILE [--until FILE] [--check]\n"
            + "       KvHistoryClient --check-history FILE");
    System.exit(2);
  }

  /** Resumes the clients the rate bound held back and may go on; then waits a millisecond. */
  private static void pace(KvHistoryDriver driver, ClientHost host, int clients)
      throws InterruptedException {
    for (int c = 0; c < clients; c++) if (driver.takeResumable(c)) host.resume(c);
    Thread.sleep(1);
  }

  static int run(
      Protocol<?> protocol,
      String base,
      int clients,
      double rate,
      double seconds,
      Path until,
      Path out,
      boolean check)
      throws IOException, ConfigException, InterruptedException {
    Deployment deployment = Deployment.load(base, protocol);
    Scheme scheme = protocol.defaultScheme();
    Keyring keyring = deployment.clientKeyring(protocol, scheme);
    KvHistoryDriver driver = new KvHistoryDriver(clients, KEYS, System.nanoTime(), rate);
    try (ClientHost host =
        ClientHost.start(
            protocol,
            deployment.config(),
            keyring,
            Options.defaults().withScheme(scheme),
            clients,
            Math.min(clients, 2),
            driver)) {
      System.out.println(RUNNING);
      System.out.flush();
      Instant stop = Instant.now().plus(Duration.ofNanos((long) (seconds * 1e9)));
      while (Instant.now().isBefore(stop) && (until == null || !Files.exists(until))) {
        pace(driver, host, clients);
      }
      driver.stop();
      Instant deadline = Instant.now().plus(FINAL_READS);
      while (!driver.finalReadsDone() && Instant.now().isBefore(deadline)) {
        pace(driver, host, clients);
      }
      if (host.failure().isPresent()) {
        System.err.println("oskr kv-history: a client failed: " + host.failure().get());
      }
    }
    History history = driver.history();
    history.write(out);
    System.out.println(
        "oskr kv-history: "
            + history.completed()
            + " of "
            + history.entries().size()
            + " operations completed, written to "
            + out);
    return check ? check(history) : 0;
  }

  /** Prints the verdict and any problem or lost write; 0 when all is well, else 1. */
  static int check(History history) {
    History.Check result = history.checkLinearizable();
    List<String> lost = history.lostWrites();
    System.out.println(
        "oskr kv-history: " + result.verdict().report().lines().findFirst().orElse(""));
    result.problems().forEach(p -> System.out.println("oskr kv-history: problem: " + p));
    lost.forEach(l -> System.out.println("oskr kv-history: lost write: " + l));
    boolean ok =
        result.verdict().outcome() == oskr.sim.linearizability.Verdict.Outcome.LINEARIZABLE
            && result.problems().isEmpty()
            && lost.isEmpty();
    if (!ok) System.out.println(result.verdict().report());
    return ok ? 0 : 1;
  }
}
