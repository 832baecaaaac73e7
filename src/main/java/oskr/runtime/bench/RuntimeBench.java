package oskr.runtime.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Completion;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.ClientDriver;
import oskr.runtime.ClientHost;
import oskr.runtime.EchoServer;
import oskr.runtime.ProcessCpu;
import oskr.runtime.ReplicaHost;
import oskr.runtime.RuntimeOptions;
import oskr.runtime.StageMode;
import oskr.runtime.udp.Transport;

/**
 * The transport and stage measurement behind docs/transport.md: one closed-loop run of Unreplicated
 * (plain or signed) or of the echo server, server and clients in this JVM on loopback, printing one
 * line. Not the product benchmark ({@code oskr bench}); a lab tool for runtime choices.
 *
 * <pre>
 * java -cp target/oskr.jar oskr.runtime.bench.RuntimeBench --mode plain --transport nio \
 *     --clients 8 --threads 2 --workers 1 --seconds 5 --warmup 3
 * </pre>
 *
 * Options: --mode echo|plain|signed, --transport nio|epoll|mmsg|gso, --clients N, --threads N (client
 * loops), --workers N, --seconds S, --warmup S, --scheme ed25519|secp256k1, --spin-micros N,
 * --stage inline|thread.
 */
public final class RuntimeBench {
  /** The 0/0 app (the runtime does not import {@code oskr.app}: layers point down only). */
  private static final App NULL_APP = App.stateless((opNumber, op) -> Bytes.EMPTY);

  private RuntimeBench() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    String mode = options.getOrDefault("mode", "plain");
    Transport transport = Transport.parse(options.getOrDefault("transport", "nio"));
    int clients = Integer.parseInt(options.getOrDefault("clients", "8"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    int workers = Integer.parseInt(options.getOrDefault("workers", "1"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "5"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
    Scheme scheme = Scheme.parse(options.getOrDefault("scheme", "ed25519"));
    Duration spin =
        Duration.ofNanos(1000L * Integer.parseInt(options.getOrDefault("spin-micros", "0")));
    StageMode stage = StageMode.parse(options.getOrDefault("stage", StageMode.DEFAULT.cliName()));
    RuntimeOptions runtime = new RuntimeOptions(workers, 0, transport, spin, stage);

    Config config = Config.of(0, List.of(new Address("127.0.0.1", freePort())));
    SigningKey key = SigningKey.derive("oskr runtime bench".getBytes(StandardCharsets.UTF_8));
    Keyring serverKeys = new Keyring(scheme, List.of(key.publicKeys()), Optional.of(key));
    Keyring clientKeys = Keyring.forClient(scheme, List.of(key.publicKeys()));
    Unreplicated protocol = mode.equals("signed") ? Unreplicated.SIGNED : Unreplicated.PLAIN;
    Options protocolOptions = Options.defaults().withScheme(scheme);

    Recorder recorder = new Recorder(clients);
    AutoCloseable server;
    ServerCpu serverCpu;
    if (mode.equals("echo")) {
      EchoServer echo = EchoServer.start(config.replica(0), transport);
      server = echo;
      serverCpu = echo::cpuNanos;
    } else {
      ReplicaHost replica =
          ReplicaHost.start(protocol, config, 0, serverKeys, NULL_APP, protocolOptions, runtime);
      server = replica;
      serverCpu = replica::cpuNanos;
    }
    try (server) {
      Figures figures;
      ClientHost host =
          ClientHost.start(
              protocol, config, clientKeys, protocolOptions, clients, threads, recorder, transport);
      try {
        figures = measure(host, serverCpu, recorder, warmup, seconds);
      } finally {
        host.close(); // joins the client loops: the recorder is safe to read after it
      }
      report(mode, runtime, clients, threads, recorder, figures);
    }
  }

  @FunctionalInterface
  private interface ServerCpu {
    long nanos();
  }

  /** The measured window: its length and the CPU used in it by server, clients and process. */
  private record Figures(long elapsedNanos, long serverCpu, long clientCpu, long processCpu) {}

  private static Figures measure(
      ClientHost host, ServerCpu serverCpu, Recorder recorder, int warmup, int seconds)
      throws InterruptedException {
    Thread.sleep(warmup * 1000L);
    long serverStart = serverCpu.nanos();
    long clientStart = host.cpuNanos();
    long processStart = ProcessCpu.processCpuNanos();
    long start = System.nanoTime();
    recorder.measuring = true;
    Thread.sleep(seconds * 1000L);
    recorder.measuring = false;
    return new Figures(
        System.nanoTime() - start,
        serverCpu.nanos() - serverStart,
        host.cpuNanos() - clientStart,
        ProcessCpu.processCpuNanos() - processStart);
  }

  private static void report(
      String mode, RuntimeOptions runtime, int clients, int threads, Recorder recorder, Figures f) {
    Histogram all = new Histogram(3);
    long ops = 0;
    for (int i = 0; i < recorder.histograms.length; i++) {
      all.add(recorder.histograms[i]);
      ops += recorder.counts[i];
    }
    double seconds = f.elapsedNanos() / 1e9;
    System.out.printf(
        Locale.ROOT,
        "mode=%s stage=%s transport=%s workers=%d spin_us=%d clients=%d threads=%d ops_s=%.0f"
            + " p50_us=%.1f p99_us=%.1f server_cpu=%.0f%% client_cpu=%.0f%% process_cpu=%.0f%%"
            + " server_us_per_op=%.2f process_us_per_op=%.2f%n",
        mode,
        runtime.stage().cliName(),
        runtime.transport().cliName(),
        runtime.workers(),
        runtime.protocolSpin().toNanos() / 1000,
        clients,
        threads,
        ops / seconds,
        all.getValueAtPercentile(50) / 1000.0,
        all.getValueAtPercentile(99) / 1000.0,
        100 * f.serverCpu() / 1e9 / seconds,
        100 * f.clientCpu() / 1e9 / seconds,
        100 * f.processCpu() / 1e9 / seconds,
        f.serverCpu() / 1e3 / Math.max(1, ops),
        f.processCpu() / 1e3 / Math.max(1, ops));
  }

  /** Per-client counters and histograms: each client is touched by one loop thread only. */
  private static final class Recorder implements ClientDriver {
    final Histogram[] histograms;
    final long[] counts;
    volatile boolean measuring;

    Recorder(int clients) {
      histograms = new Histogram[clients];
      counts = new long[clients];
      for (int i = 0; i < clients; i++) histograms[i] = new Histogram(60_000_000_000L, 3);
    }

    @Override
    public Bytes nextOp(int client) {
      return Bytes.EMPTY;
    }

    @Override
    public void completed(int client, Bytes result, Completion completion, long latencyNanos) {
      if (!measuring) return;
      counts[client]++;
      histograms[client].recordValue(Math.min(latencyNanos, 60_000_000_000L));
    }
  }

  private static int freePort() throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--"))
        throw new IllegalArgumentException("expected --name value: " + args[i]);
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
