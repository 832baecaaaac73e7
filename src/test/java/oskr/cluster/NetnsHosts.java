package oskr.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Test hosts made of Linux network namespaces: one namespace per host, each linked by a veth pair
 * to a bridge in a switch namespace of its own, with addresses on 10.77.0.0/24, a subnet that
 * exists only inside these namespaces. Names carry this JVM's pid ({@code oskrt-PID-...}), so
 * {@link #create} first removes what a killed earlier run left (its pid is gone), and {@link
 * #close} (also run by a shutdown hook) kills every process in the namespaces and deletes them,
 * their links and qdiscs, and the temporary folder.
 */
final class NetnsHosts implements AutoCloseable {
  static final String PREFIX = "oskrt-";
  private static final String SUBNET = "10.77.0.";
  private static final int FIRST_HOST = 10;
  private static final String LOSS_TABLE = "oskr_loss";

  private final String run;
  private final int count;
  private final Path folder;
  private final List<HostProcess> processes = new ArrayList<>();
  private final Thread hook = new Thread(this::cleanUp, "netns-hosts-cleanup");
  private boolean closed;

  private NetnsHosts(String run, int count, Path folder) {
    this.run = run;
    this.count = count;
    this.folder = folder;
  }

  /** Why these tests cannot run here (not root, no {@code ip netns}), or empty if they can. */
  static Optional<String> unavailable() {
    String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
    try {
      Commands.run(List.of("ip", "netns", "add", probe));
      Commands.run(List.of("ip", "netns", "del", probe));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("'ip netns add' is not permitted here (" + e.getMessage().strip() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** Makes {@code count} hosts, after removing the namespaces and folders of dead earlier runs. */
  static NetnsHosts create(int count) throws IOException, InterruptedException {
    removeStale();
    String run =
        PREFIX
            + ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(System.nanoTime() & 0xffffff);
    NetnsHosts hosts = new NetnsHosts(run, count, Files.createTempDirectory(run + "-"));
    Runtime.getRuntime().addShutdownHook(hosts.hook);
    try {
      hosts.build();
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
    return hosts;
  }

  private void build() throws IOException, InterruptedException {
    String sw = switchNamespace();
    Commands.run(List.of("ip", "netns", "add", sw));
    inNamespace(sw, "ip", "link", "add", "br0", "type", "bridge");
    inNamespace(sw, "ip", "link", "set", "br0", "up");
    for (int i = 0; i < count; i++) {
      String ns = namespace(i);
      Commands.run(List.of("ip", "netns", "add", ns));
      Commands.run(
          List.of(
              "ip", "link", "add", "p" + i, "netns", sw, "type", "veth", "peer", "name", "eth0",
              "netns", ns));
      inNamespace(sw, "ip", "link", "set", "p" + i, "master", "br0");
      inNamespace(sw, "ip", "link", "set", "p" + i, "up");
      inNamespace(ns, "ip", "link", "set", "lo", "up");
      inNamespace(ns, "ip", "addr", "add", address(i) + "/24", "dev", "eth0");
      inNamespace(ns, "ip", "link", "set", "eth0", "up");
    }
  }

  /** Deletes namespaces and folders named for a process that no longer runs. */
  static void removeStale() throws IOException, InterruptedException {
    for (String line : Commands.run(List.of("ip", "netns", "list")).split("\n")) {
      String name = line.strip().split(" ")[0];
      if (name.startsWith(PREFIX) && ownerGone(name)) deleteNamespace(name);
    }
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> paths = Files.list(tmp)) {
      for (Path path : paths.toList()) {
        String name = path.getFileName().toString();
        if (name.startsWith(PREFIX) && ownerGone(name)) deleteTree(path);
      }
    }
  }

  private static boolean ownerGone(String name) {
    try {
      long pid = Long.parseLong(name.substring(PREFIX.length()).split("-")[0]);
      return ProcessHandle.of(pid).isEmpty();
    } catch (NumberFormatException e) {
      return false; // not ours to judge
    }
  }

  /** Kills every process left in the namespace, then deletes it (its links go with it). */
  private static void deleteNamespace(String name) {
    try {
      for (String pid : Commands.run(List.of("ip", "netns", "pids", name)).split("\\s+")) {
        if (!pid.isBlank()) Commands.runQuietly(List.of("kill", "-9", pid.strip()));
      }
    } catch (IOException e) {
      // No such namespace any more.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Commands.runQuietly(List.of("ip", "netns", "del", name));
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
    } catch (IOException e) {
      System.err.println("cannot delete " + root + ": " + e.getMessage());
    }
  }

  String namespace(int host) {
    return run + "-h" + host;
  }

  String switchNamespace() {
    return run + "-sw";
  }

  /** The address of host {@code host} on the test subnet. */
  String address(int host) {
    return SUBNET + (FIRST_HOST + host);
  }

  /** The folder for this run's files; deleted on close. */
  Path folder() {
    return folder;
  }

  String inNamespace(String ns, String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(command));
    return Commands.run(full);
  }

  /** Starts {@code command} in host {@code host}'s namespace; killed on close. */
  synchronized HostProcess start(int host, String name, List<String> command) throws IOException {
    if (closed) throw new IllegalStateException("closed");
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(host)));
    full.addAll(command);
    HostProcess process =
        HostProcess.start(name, full, folder.resolve(name.replace(' ', '-') + ".log"));
    processes.add(process);
    return process;
  }

  /** Cuts host {@code host} off: its link to the bridge goes down. */
  void linkDown(int host) throws IOException, InterruptedException {
    inNamespace(switchNamespace(), "ip", "link", "set", "p" + host, "down");
  }

  void linkUp(int host) throws IOException, InterruptedException {
    inNamespace(switchNamespace(), "ip", "link", "set", "p" + host, "up");
  }

  /** Whether the kernel has tc's netem qdisc (some kernels are built without sch_netem). */
  boolean netemAvailable() throws InterruptedException {
    try {
      netem(0, "delay", "1ms");
      clearNetem(0);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * tc netem on both directions of host {@code host}'s link, e.g. {@code delay 5ms 2ms loss 2%}.
   */
  void netem(int host, String... spec) throws IOException, InterruptedException {
    List<String> sw =
        new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", "p" + host, "root", "netem"));
    sw.addAll(List.of(spec));
    inNamespace(switchNamespace(), sw.toArray(String[]::new));
    List<String> own =
        new ArrayList<>(List.of("tc", "qdisc", "replace", "dev", "eth0", "root", "netem"));
    own.addAll(List.of(spec));
    inNamespace(namespace(host), own.toArray(String[]::new));
  }

  void clearNetem(int host) throws IOException, InterruptedException {
    inNamespace(switchNamespace(), "tc", "qdisc", "del", "dev", "p" + host, "root");
    inNamespace(namespace(host), "tc", "qdisc", "del", "dev", "eth0", "root");
  }

  /**
   * Whether nftables can drop packets at random inside a host's namespace: the loss half of netem,
   * for kernels built without sch_netem.
   */
  boolean randomLossAvailable() throws InterruptedException {
    try {
      randomLoss(0, 1);
      clearRandomLoss(0);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Drops {@code percent} % of the UDP datagrams host {@code host} sends and of those it receives,
   * at random, with an nftables table in its namespace (removed with the namespace).
   */
  void randomLoss(int host, int percent) throws IOException, InterruptedException {
    String ns = namespace(host);
    inNamespace(ns, "nft", "add", "table", "inet", LOSS_TABLE);
    for (String hook : List.of("input", "output")) {
      inNamespace(
          ns,
          "nft",
          "add",
          "chain",
          "inet",
          LOSS_TABLE,
          hook,
          "{ type filter hook " + hook + " priority 0; }");
      inNamespace(
          ns,
          "nft",
          "add",
          "rule",
          "inet",
          LOSS_TABLE,
          hook,
          "meta l4proto udp numgen random mod 100 < " + percent + " drop");
    }
  }

  void clearRandomLoss(int host) throws IOException, InterruptedException {
    inNamespace(namespace(host), "nft", "delete", "table", "inet", LOSS_TABLE);
  }

  /** The namespaces of this run that still exist (for the cleanup test). */
  static List<String> existing(String prefix) throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (String line : Commands.run(List.of("ip", "netns", "list")).split("\n")) {
      String name = line.strip().split(" ")[0];
      if (name.startsWith(prefix)) names.add(name);
    }
    return names;
  }

  String runName() {
    return run;
  }

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutting down: the hook runs cleanUp, which is idempotent.
    }
  }

  private synchronized void cleanUp() {
    if (closed) return;
    closed = true;
    for (HostProcess process : processes) {
      try {
        process.kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = 0; i < count; i++) deleteNamespace(namespace(i));
    deleteNamespace(switchNamespace());
    deleteTree(folder);
  }
}
