package oskr.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oskr.sim.linearizability.Verdict;

/**
 * Every replicated protocol on real processes on separate (namespace) hosts, with faults injected
 * from outside while KV clients record every operation: one replica is cut off (its link down) and
 * healed, then the primary or leader (replica 0, the primary of view 0) is killed with SIGKILL and
 * restarted without its state (VR and HotStuff told so: their recovery), and where the kernel has
 * tc netem one replica gets latency, jitter and loss (without sch_netem, loss alone, from nftables
 * in its namespace). Afterwards the client-observed history must be linearizable (the simulator's
 * checker), no acknowledged write lost, and throughput must be back after the heal and after the
 * kill. Prints the figures of each phase.
 */
class RealClusterFaultTest {
  private static final int PORT = 7000;

  /** Operations per second, at most: the history of a scenario stays quick to check. */
  private static final int RATE = 1500;

  private static final Duration READY = Duration.ofSeconds(90);
  private static final long PHASE_MILLIS = 3000;
  private static final long AFTER_KILL_MILLIS = 4000;
  private static final long WARM_UP_MILLIS = 2000;

  /** Datagrams one replica loses each way in the loss phase (netem's, or nftables' without it). */
  private static final int LOSS_PERCENT = 2;

  @BeforeAll
  static void requireNamespaces() {
    var reason = NetnsHosts.unavailable();
    if (reason.isPresent()) System.out.println("SKIPPED real-cluster tests: " + reason.get());
    Assumptions.assumeTrue(reason.isEmpty(), () -> "real-cluster tests: " + reason.get());
  }

  @Test
  void pbft() throws Exception {
    scenario("pbft", 1, 4, false);
  }

  @Test
  void vr() throws Exception {
    scenario("vr", 1, 3, true);
  }

  @Test
  void zyzzyva() throws Exception {
    scenario("zyzzyva", 1, 4, false);
  }

  @Test
  void hotstuff() throws Exception {
    scenario("hotstuff", 1, 4, true);
  }

  private void scenario(String protocol, int f, int n, boolean recovering) throws Exception {
    long scenarioStart = System.nanoTime();
    try (NetnsHosts hosts = NetnsHosts.create(n + 1)) {
      int clientHost = n;
      String base = writeDeployment(hosts, f, n);
      List<HostProcess> replicas = new ArrayList<>();
      // Replica 0 first: the primary of view 0 is up before any backup could time out waiting for
      // it, so view 0 holds until the kill and replica 0 is then the primary (the leader).
      replicas.add(startReplica(hosts, protocol, base, 0, false));
      replicas.get(0).await(line -> line.contains(" ready at "), READY);
      for (int id = 1; id < n; id++) replicas.add(startReplica(hosts, protocol, base, id, false));
      for (HostProcess replica : replicas.subList(1, n)) {
        replica.await(line -> line.contains(" ready at "), READY);
      }
      boolean netem = hosts.netemAvailable();
      boolean nftLoss = !netem && hosts.randomLossAvailable();
      if (!netem) {
        System.out.println(
            "real cluster "
                + protocol
                + ": tc netem unavailable in this kernel (no sch_netem): latency and jitter are"
                + (nftLoss
                    ? " not injected; loss is, with nftables"
                    : " not injected, nor loss (no nft either)"));
      }
      Path historyFile = hosts.folder().resolve("history.txt");
      Path stopFile = hosts.folder().resolve("stop");
      HostProcess client =
          hosts.start(
              clientHost,
              "kv client",
              Commands.javaMain(
                  KvHistoryClient.class.getName(),
                  List.of(
                      "-m",
                      protocol,
                      "-c",
                      base,
                      "-t",
                      "4",
                      "-d",
                      "300",
                      "--rate",
                      Integer.toString(RATE),
                      "--until",
                      stopFile.toString(),
                      "-o",
                      historyFile.toString())));
      client.await(KvHistoryClient.RUNNING::equals, READY);
      Thread.sleep(WARM_UP_MILLIS);
      long t0 = KvHistoryDriver.nowMicros();
      Thread.sleep(PHASE_MILLIS);
      long killed = KvHistoryDriver.nowMicros();
      replicas.get(0).kill();
      Thread.sleep(AFTER_KILL_MILLIS);
      long t1 = KvHistoryDriver.nowMicros();
      HostProcess restarted = startReplica(hosts, protocol, base, 0, recovering);
      restarted.await(line -> line.contains(" ready at "), READY);
      Thread.sleep(PHASE_MILLIS);
      long t2 = KvHistoryDriver.nowMicros();
      int cut = n - 1;
      hosts.linkDown(cut);
      Thread.sleep(PHASE_MILLIS);
      long t3 = KvHistoryDriver.nowMicros();
      hosts.linkUp(cut);
      Thread.sleep(PHASE_MILLIS);
      long t4 = KvHistoryDriver.nowMicros();
      long t5 = t4;
      String impaired =
          netem
              ? "netem 5ms±2ms " + LOSS_PERCENT + "% loss"
              : nftLoss ? LOSS_PERCENT + "% loss (nftables)" : null;
      if (impaired != null) {
        if (netem) hosts.netem(cut, "delay", "5ms", "2ms", "loss", LOSS_PERCENT + "%");
        else hosts.randomLoss(cut, LOSS_PERCENT);
        Thread.sleep(PHASE_MILLIS);
        t5 = KvHistoryDriver.nowMicros();
        if (netem) hosts.clearNetem(cut);
        else hosts.clearRandomLoss(cut);
      }
      Files.writeString(stopFile, "stop");
      int exit = client.awaitExit(Duration.ofSeconds(90));
      assertThat(exit).as("client exit; stderr in " + client.log()).isZero();
      long end = KvHistoryDriver.nowMicros();
      History history = History.read(historyFile);
      for (HostProcess replica : replicas.subList(1, n)) {
        assertThat(replica.alive())
            .as(replica.name() + " survived; " + tail(replica.log()))
            .isTrue();
      }
      assertThat(restarted.alive()).as("restarted replica 0; " + tail(restarted.log())).isTrue();

      double before = history.throughput(t0, killed);
      OptionalLong first = history.firstCompletionInvokedAfter(killed);
      double afterKill = history.throughput(killed, t1);
      double restartedPhase = history.throughput(t1, t2);
      double during = history.throughput(t2, t3);
      double afterHeal = history.throughput(t3, t4);
      StringBuilder figures = new StringBuilder();
      figures.append(
          String.format(
              Locale.ROOT,
              "real cluster %s (n=%d, 4 KV clients, %d ops): %.0f ops/s; kill -9 of replica 0 (the"
                  + " primary/leader): first completion of a request sent after it in %s, %.0f"
                  + " ops/s until restart, %.0f ops/s after the restart; replica %d cut off: %.0f"
                  + " ops/s before, %.0f during, %.0f after the heal",
              protocol,
              n,
              history.completed(),
              before,
              first.isPresent() ? (first.getAsLong() - killed) / 1000 + " ms" : "never",
              afterKill,
              restartedPhase,
              cut,
              restartedPhase,
              during,
              afterHeal));
      if (impaired != null) {
        figures.append(
            String.format(
                Locale.ROOT,
                "; %s on replica %d: %.0f ops/s",
                impaired,
                cut,
                history.throughput(t4, t5)));
      }
      System.out.println(figures);

      long checkStart = System.nanoTime();
      History.Check check = history.checkLinearizable();
      System.out.printf(
          Locale.ROOT,
          "real cluster %s: %s, checked in %d ms, scenario %d s%n",
          protocol,
          check.verdict().report().lines().findFirst().orElse(""),
          (System.nanoTime() - checkStart) / 1_000_000,
          (System.nanoTime() - scenarioStart) / 1_000_000_000);
      assertThat(check.problems()).as("undecodable results").isEmpty();
      assertThat(check.verdict().outcome())
          .as(check.verdict().report())
          .isEqualTo(Verdict.Outcome.LINEARIZABLE);
      assertThat(history.lostWrites()).as("acknowledged writes lost").isEmpty();
      assertThat(before).as("throughput before the faults").isPositive();
      assertThat(first)
          .as("a request sent after the kill completes before the restart")
          .isPresent();
      assertThat(first.getAsLong()).isLessThan(t1);
      assertThat(restartedPhase).as("throughput after the restart").isPositive();
      assertThat(afterHeal)
          .as("throughput recovers after the heal")
          .isGreaterThan(restartedPhase / 4);
      if (impaired != null) {
        assertThat(history.throughput(t4, t5))
            .as("throughput with one replica's loss")
            .isPositive();
      }
      Files.deleteIfExists(historyFile);
    }
  }

  private static String writeDeployment(NetnsHosts hosts, int f, int n)
      throws IOException, InterruptedException {
    String base = hosts.folder().resolve("cluster").toString();
    StringBuilder config = new StringBuilder("# real-cluster test\nf " + f + "\n");
    for (int id = 0; id < n; id++)
      config.append("replica ").append(hosts.address(id)).append(':').append(PORT).append('\n');
    Files.writeString(Path.of(base + ".config"), config, StandardCharsets.UTF_8);
    Commands.run(Commands.oskr(List.of("keygen", "-c", base)));
    return base;
  }

  private static HostProcess startReplica(
      NetnsHosts hosts, String protocol, String base, int id, boolean recovering)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("replica", "-m", protocol, "-c", base, "-i", Integer.toString(id), "-a", "kv"));
    if (recovering) args.add("--recovering");
    return hosts.start(
        id, "replica " + id + (recovering ? " recovering" : ""), Commands.oskr(args));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return "stderr: "
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "no log";
    }
  }
}
