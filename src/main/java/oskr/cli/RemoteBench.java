package oskr.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import oskr.bench.BenchResult;
import oskr.core.ConfigException;
import oskr.protocol.Protocol;

/**
 * {@code oskr bench --hosts FILE}: the bench on a real cluster, over OpenSSH. Writes the config
 * (the hosts file's replica addresses) and keys locally, copies them and this program (its jar, or
 * under a build its class path, jarred) to a fresh folder under each host's WORKDIR, starts the
 * replicas and then the clients over ssh, collects each client host's JSON result and prints it as
 * a local bench does. Every remote process writes its pid to a file as it starts; {@link #close()}
 * (also a shutdown hook, so Ctrl-C and failures too) stops them by those files (SIGTERM, SIGKILL
 * after a grace period) and deletes the remote folders. The remote processes also run with {@code
 * --exit-with-parent}: should this bench die by SIGKILL, each ssh session ends and its process with
 * it.
 */
final class RemoteBench implements AutoCloseable {
  private static final String BASE = "cluster";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final List<HostsFile.Host> hosts;
  private final Ssh ssh;
  private final Protocol<?> protocol;
  private final int faults;
  private final ReplicaSettings replica;
  private final LoadSettings load;
  private final PrintWriter err;
  private final LocalCluster local;
  private final String runFolder;
  private final Thread shutdownHook = new Thread(this::stopRemote, "oskr-remote-cleanup");
  private final Map<String, HostsFile.Host> prepared = new LinkedHashMap<>();
  private boolean stopped;

  RemoteBench(
      List<HostsFile.Host> hosts,
      Ssh ssh,
      Protocol<?> protocol,
      int faults,
      ReplicaSettings replica,
      LoadSettings load,
      PrintWriter err)
      throws IOException {
    this.hosts = hosts;
    this.ssh = ssh;
    this.protocol = protocol;
    this.faults = faults;
    this.replica = replica;
    this.load = load;
    this.err = err;
    this.local = LocalCluster.create(err);
    this.runFolder = "oskr-" + local.directory().getFileName().toString();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private List<HostsFile.Host> replicas() {
    return hosts.stream().filter(h -> h.role() == HostsFile.Role.REPLICA).toList();
  }

  private List<HostsFile.Host> clients() {
    return hosts.stream().filter(h -> h.role() == HostsFile.Role.CLIENT).toList();
  }

  /** The run's folder on {@code host}. */
  private String folder(HostsFile.Host host) {
    return host.workdir() + "/" + runFolder;
  }

  /** Runs the bench; the client hosts' results, in the hosts file's order. */
  List<BenchResult> run() throws IOException, ConfigException, RunFailed, InterruptedException {
    BenchRun.Layout layout = BenchRun.layout(protocol, faults);
    if (layout.n() != replicas().size()) {
      throw new RunFailed(
          "%s with -f %d runs %d replicas, the hosts file lists %d"
              .formatted(protocol.name(), layout.f(), layout.n(), replicas().size()));
    }
    List<Path> files = writeDeployment(layout.f());
    List<Path> lib = classPathJars();
    long copyStart = System.nanoTime();
    prepareAll(files, lib);
    err.printf(
        "oskr: copied the program, config and keys to %d hosts in %.1f s%n",
        prepared.size(), (System.nanoTime() - copyStart) / 1e9);
    err.flush();
    List<ChildProcess> servers = new ArrayList<>();
    for (int id = 0; id < replicas().size(); id++) {
      HostsFile.Host host = replicas().get(id);
      List<String> args =
          new ArrayList<>(
              List.of(
                  "replica",
                  "-m",
                  protocol.name(),
                  "-c",
                  folder(host) + "/" + BASE,
                  "-i",
                  Integer.toString(id)));
      args.addAll(replica.args(protocol, "null"));
      args.add("--exit-with-parent");
      servers.add(start(host, "replica " + id + " on " + host, "replica-" + id, args));
    }
    Instant ready = Instant.now().plus(BenchRun.READY_TIMEOUT);
    long readyStart = System.nanoTime();
    for (ChildProcess server : servers) LocalCluster.awaitReady(server, ready);
    err.printf(
        "oskr: %d replicas ready in %.1f s%n",
        servers.size(), (System.nanoTime() - readyStart) / 1e9);
    err.flush();
    List<ChildProcess> clients = new ArrayList<>();
    for (int c = 0; c < clients().size(); c++) {
      HostsFile.Host host = clients().get(c);
      List<String> args =
          new ArrayList<>(
              List.of("client", "-m", protocol.name(), "-c", folder(host) + "/" + BASE));
      args.addAll(load.clientArgs(load.clients()));
      if (protocol.usesSignatures()) args.addAll(List.of("--auth", replica.scheme().cliName()));
      args.addAll(
          List.of(
              "--output",
              folder(host) + "/result-" + c + ".json",
              "--progress",
              "--exit-with-parent"));
      clients.add(start(host, "the client on " + host, "client-" + c, args));
    }
    Instant deadline =
        Instant.now().plus(load.warmUpBound()).plus(load.window()).plus(BenchRun.CLIENT_SLACK);
    List<BenchResult> results = new ArrayList<>();
    for (int c = 0; c < clients.size(); c++) {
      ChildProcess client = clients.get(c);
      Duration left = Duration.between(Instant.now(), deadline);
      Optional<Integer> exit = client.awaitExit(left.isNegative() ? Duration.ZERO : left);
      if (exit.isEmpty()) throw new RunFailed(client.name() + " did not finish in time");
      if (exit.get() != Oskr.EXIT_OK) {
        throw new RunFailed(client.name() + " failed (exit code " + exit.get() + ")");
      }
      Path result = local.directory().resolve("result-" + c + ".json");
      HostsFile.Host host = clients().get(c);
      Ssh.run(ssh.copyFrom(host, folder(host) + "/result-" + c + ".json", result), COMMAND_TIMEOUT);
      try {
        results.add(
            BenchResult.fromJson(Files.readString(result))
                .withReplicaSettings(
                    replica.workers, replica.batchSizeMax, OptionalDouble.empty()));
      } catch (IllegalArgumentException e) {
        throw new RunFailed("unreadable result from " + host + ": " + e.getMessage());
      }
    }
    for (ChildProcess server : servers) {
      if (!server.alive()) throw new RunFailed(server.name() + " exited during the run");
    }
    return results;
  }

  /** The config of the hosts file's replicas and their keys, in the local folder. */
  private List<Path> writeDeployment(int f) throws IOException, ConfigException {
    StringBuilder text = new StringBuilder("# written by oskr bench --hosts\nf " + f + "\n");
    for (HostsFile.Host host : replicas()) {
      text.append("replica ").append(host.address()).append(':').append(host.port()).append('\n');
    }
    Path base = local.directory().resolve(BASE);
    Files.writeString(Path.of(base + ".config"), text, StandardCharsets.UTF_8);
    List<Path> files = new ArrayList<>(List.of(Path.of(base + ".config")));
    // Every host gets every key file: a replica derives the others' public keys from them, as a
    // local deployment does (Deployment).
    files.addAll(
        KeygenCommand.writeKeys(Deployment.loadConfig(base.toString()), false, new SecureRandom()));
    return files;
  }

  /**
   * This program as jars to copy: the jar it runs from, or (under a build) each class path entry,
   * directories packed into a jar of their own.
   */
  private List<Path> classPathJars() throws IOException {
    Path lib = Files.createDirectory(local.directory().resolve("lib"));
    List<Path> jars = new ArrayList<>();
    String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].isEmpty()) continue;
      Path entry = Path.of(entries[i]).toAbsolutePath();
      Path target = lib.resolve(String.format("%03d-%s", i, jarName(entry)));
      if (Files.isDirectory(entry)) {
        jar(entry, target);
      } else if (Files.isRegularFile(entry)) {
        Files.createSymbolicLink(target, entry);
      } else {
        continue; // a class path entry that does not exist holds nothing
      }
      jars.add(target);
    }
    return jars;
  }

  private static String jarName(Path entry) {
    String name = entry.getFileName().toString();
    return name.endsWith(".jar") ? name : name + ".jar";
  }

  private static void jar(Path directory, Path target) throws IOException {
    try (OutputStream file = Files.newOutputStream(target);
        JarOutputStream jar = new JarOutputStream(file);
        Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
        String name = directory.relativize(path).toString().replace(File.separatorChar, '/');
        jar.putNextEntry(new JarEntry(name));
        Files.copy(path, jar);
        jar.closeEntry();
      }
    }
  }

  /** Prepares every host at once: the copies, not this machine's CPU, are what takes time. */
  private void prepareAll(List<Path> files, List<Path> lib)
      throws IOException, InterruptedException, RunFailed {
    List<java.util.concurrent.Future<Void>> copies = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (HostsFile.Host host : hosts) {
        copies.add(
            pool.submit(
                () -> {
                  prepare(host, files, lib);
                  return null;
                }));
      }
      for (var copy : copies) {
        try {
          copy.get();
        } catch (java.util.concurrent.ExecutionException e) {
          switch (e.getCause()) {
            case RunFailed failed -> throw failed;
            case IOException io -> throw io;
            default -> throw new RunFailed("cannot prepare the hosts: " + e.getCause());
          }
        }
      }
    }
  }

  /** Makes the run's folder on {@code host} and copies the files, once per host and folder. */
  private void prepare(HostsFile.Host host, List<Path> files, List<Path> lib)
      throws IOException, InterruptedException, RunFailed {
    String key = host.target() + " " + folder(host);
    synchronized (this) {
      if (stopped) throw new RunFailed("stopped");
      if (prepared.putIfAbsent(key, host) != null) return; // another line, the same host
    }
    try {
      String folder = folder(host);
      Ssh.run(ssh.ssh(host, "mkdir -p " + Ssh.quote(folder + "/lib")), COMMAND_TIMEOUT);
      Ssh.run(ssh.copyTo(host, files, folder), COMMAND_TIMEOUT);
      Ssh.run(ssh.copyTo(host, lib, folder + "/lib"), COMMAND_TIMEOUT);
    } catch (IOException e) {
      throw new RunFailed("cannot prepare " + host.target() + ": " + e.getMessage());
    }
  }

  /**
   * Starts {@code oskr ARGS} on {@code host} over ssh; the remote shell writes its pid to NAME.pid
   * and then becomes the java process, so the pid file names it.
   */
  private ChildProcess start(HostsFile.Host host, String label, String name, List<String> args)
      throws RunFailed {
    List<String> java = new ArrayList<>(List.of(host.java()));
    java.addAll(JavaCommand.NETTY_FLAGS);
    java.addAll(JavaCommand.benchHeapFlags(null));
    java.add("-Doskr.log=WARN");
    java.addAll(List.of("-cp", "lib/*", Oskr.class.getName()));
    java.addAll(args);
    StringBuilder command = new StringBuilder("cd " + Ssh.quote(folder(host)));
    command.append(" && echo $$ > ").append(Ssh.quote(name + ".pid")).append(" && exec");
    for (String word : java) command.append(' ').append(Ssh.quote(word));
    return local.start(label, ssh.ssh(host, command.toString()));
  }

  @Override
  public void close() {
    stopRemote();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Shutting down: the hook runs stopRemote, which is idempotent.
    }
    local.close();
  }

  /**
   * On every prepared host, in parallel: SIGTERM to each process of a pid file, SIGKILL to those
   * still there after five seconds, then the run's folder goes. Then the local ssh sessions end.
   *
   * <p>Synchronized as a whole: on Ctrl-C the main thread (its run failed as the sessions ended) and
   * the shutdown hook both get here, and the JVM exits once its hooks return, so the hook must wait
   * for the other's stop to finish, or the remote folders outlive the bench.
   */
  private synchronized void stopRemote() {
    if (stopped) return;
    stopped = true;
    List<HostsFile.Host> targets = List.copyOf(prepared.values());
    String script =
        "cd %s 2>/dev/null || exit 0; for f in *.pid; do [ -f \"$f\" ] && kill -TERM \"$(cat"
            + " \"$f\")\" 2>/dev/null; done; for i in 1 2 3 4 5 6 7 8 9 10; do alive=0; for f in"
            + " *.pid; do [ -f \"$f\" ] && kill -0 \"$(cat \"$f\")\" 2>/dev/null && alive=1; done;"
            + " [ $alive = 0 ] && break; sleep 0.5; done; for f in *.pid; do [ -f \"$f\" ] && kill"
            + " -KILL \"$(cat \"$f\")\" 2>/dev/null; done; cd / && rm -rf %s";
    List<Thread> threads = new ArrayList<>();
    for (HostsFile.Host host : targets) {
      String folder = Ssh.quote(folder(host));
      List<String> command = ssh.ssh(host, script.formatted(folder, folder));
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      Ssh.run(command, STOP_TIMEOUT);
                    } catch (IOException e) {
                      err.println(
                          "oskr: cannot stop the processes on "
                              + host.target()
                              + ": "
                              + e.getMessage());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread thread : threads) {
      try {
        thread.join(STOP_TIMEOUT.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    err.flush();
  }
}
