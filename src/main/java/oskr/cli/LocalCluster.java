package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import oskr.core.Address;
import oskr.core.Config;

/**
 * The processes and files of one {@code oskr bench}: a temporary folder for the config, keys and
 * results, and the child processes. {@link #close()} stops every child (SIGTERM, then SIGKILL after
 * a grace period) and deletes the folder; a shutdown hook does the same on Ctrl-C, so nothing is
 * left behind.
 */
final class LocalCluster implements AutoCloseable {
  /** How long a child may take to stop after SIGTERM before it is killed. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private static final String HOST = "127.0.0.1";

  private final Path directory;
  private final PrintWriter err;
  private final List<ChildProcess> children = new ArrayList<>();
  private final Thread shutdownHook;
  private boolean closed;

  private LocalCluster(Path directory, PrintWriter err) {
    this.directory = directory;
    this.err = err;
    this.shutdownHook = new Thread(this::cleanUp, "oskr-bench-cleanup");
  }

  /** The prefix of every bench folder in the temporary directory. */
  static final String FOLDER_PREFIX = "oskr-bench-";

  /** In every bench folder: the pid of the bench that made it, to tell a stranded folder. */
  static final String OWNER_FILE = "owner.pid";

  /**
   * Makes the temporary folder and arms the shutdown hook; first removes the folders of earlier
   * benches that were killed (SIGKILL runs no hook), which hold private keys.
   */
  static LocalCluster create(PrintWriter err) throws IOException {
    removeStranded(Path.of(System.getProperty("java.io.tmpdir")), err);
    LocalCluster cluster = new LocalCluster(Files.createTempDirectory(FOLDER_PREFIX), err);
    Files.writeString(
        cluster.directory.resolve(OWNER_FILE),
        Long.toString(ProcessHandle.current().pid()),
        StandardCharsets.UTF_8);
    Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
    return cluster;
  }

  /**
   * Deletes the bench folders in {@code tmp} whose owner process is gone. A folder without an owner
   * file is left alone: it may be a bench that is just starting.
   */
  static void removeStranded(Path tmp, PrintWriter err) {
    List<Path> folders;
    try (Stream<Path> paths = Files.list(tmp)) {
      folders =
          paths
              .filter(path -> path.getFileName().toString().startsWith(FOLDER_PREFIX))
              .filter(Files::isDirectory)
              .toList();
    } catch (IOException e) {
      return; // nothing to clean where nothing can be listed
    }
    for (Path folder : folders) {
      OptionalLong owner = owner(folder);
      if (owner.isPresent() && ProcessHandle.of(owner.getAsLong()).isEmpty()) {
        deleteTree(folder, err);
      }
    }
  }

  private static OptionalLong owner(Path folder) {
    try {
      return OptionalLong.of(
          Long.parseLong(Files.readString(folder.resolve(OWNER_FILE), StandardCharsets.UTF_8)));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  Path directory() {
    return directory;
  }

  /** {@code deploy/NAME} of the generated deployment, for {@code -c}. */
  String deploymentBase() {
    return directory.resolve("local").toString();
  }

  /** Writes the config of {@code n} replicas on free loopback ports. */
  Config writeConfig(int f, int n) throws IOException {
    List<Address> replicas = new ArrayList<>();
    for (int port : freeUdpPorts(n)) replicas.add(new Address(HOST, port));
    StringBuilder text = new StringBuilder("# written by oskr bench\nf " + f + "\n");
    for (Address replica : replicas) text.append("replica ").append(replica).append('\n');
    Files.writeString(Path.of(deploymentBase() + ".config"), text, StandardCharsets.UTF_8);
    return Config.of(f, replicas);
  }

  /**
   * Ports free on the loopback right now: all sockets are held open together so the ports differ.
   * Another process may take one before the replica binds; the replica then fails with a clear
   * error and the bench with it.
   */
  static List<Integer> freeUdpPorts(int count) throws IOException {
    List<DatagramSocket> sockets = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        DatagramSocket socket = new DatagramSocket(null);
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
        ports.add(socket.getLocalPort());
      }
      return ports;
    } finally {
      for (DatagramSocket socket : sockets) socket.close();
    }
  }

  /**
   * Starts a child process, unless the cluster is closing (Ctrl-C came first).
   *
   * @throws RunFailed if the cluster was closed or the process cannot start
   */
  synchronized ChildProcess start(String name, List<String> command) throws RunFailed {
    if (closed) throw new RunFailed("stopped before " + name + " started");
    try {
      ChildProcess child = ChildProcess.start(name, command);
      children.add(child);
      return child;
    } catch (IOException e) {
      throw new RunFailed("cannot start " + name + ": " + e.getMessage());
    }
  }

  /**
   * Waits until {@code child} prints its ready line.
   *
   * @throws RunFailed if it exits or stays silent until the deadline
   */
  static void awaitReady(ChildProcess child, Instant deadline)
      throws RunFailed, InterruptedException {
    if (child.awaitLine(Ready::isReadyLine, deadline).isPresent()) return;
    if (child.stdoutEnded() || !child.alive()) {
      throw new RunFailed(
          child.name() + " exited before it was ready (exit code " + exitCode(child) + ")");
    }
    throw new RunFailed(child.name() + " was not ready in time (no 'ready' line on stdout)");
  }

  /** The exit code of a child that is exiting, as text; "unknown" if it takes too long. */
  static String exitCode(ChildProcess child) throws InterruptedException {
    return child.awaitExit(STOP_GRACE).map(String::valueOf).orElse("unknown");
  }

  /** CPU time of the children in {@code servers} so far, summed; zero where the OS cannot tell. */
  static Duration cpuTime(List<ChildProcess> servers) {
    Duration total = Duration.ZERO;
    for (ChildProcess server : servers) total = total.plus(server.cpuTime().orElse(Duration.ZERO));
    return total;
  }

  /** Whether Ctrl-C (or {@link #close()}) has begun stopping the children. */
  synchronized boolean stopping() {
    return closed;
  }

  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs (or ran) cleanUp, which is idempotent.
    }
  }

  /** Stops every child and deletes the folder; safe to call twice and from the hook. */
  private synchronized void cleanUp() {
    if (closed) return;
    closed = true;
    for (ChildProcess child : children) child.requestStop();
    Instant deadline = Instant.now().plus(STOP_GRACE);
    for (ChildProcess child : children) awaitOrKill(child, deadline);
    deleteDirectory();
  }

  private void awaitOrKill(ChildProcess child, Instant deadline) {
    try {
      Duration left = Duration.between(Instant.now(), deadline);
      if (child.awaitExit(left.isNegative() ? Duration.ZERO : left).isPresent()) return;
      child.kill();
      if (child.awaitExit(STOP_GRACE).isEmpty()) {
        err.println("oskr: " + child.name() + " (pid " + child.pid() + ") did not die");
      }
    } catch (InterruptedException e) {
      child.kill();
      Thread.currentThread().interrupt();
    }
  }

  private void deleteDirectory() {
    deleteTree(directory, err);
  }

  private static void deleteTree(Path root, PrintWriter err) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    } catch (IOException e) {
      err.println("oskr: cannot delete " + root + ": " + Deployment.describe(e));
    }
  }
}
