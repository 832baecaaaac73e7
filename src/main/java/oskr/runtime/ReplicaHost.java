package oskr.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.FrameSender;
import oskr.runtime.udp.MmsgStats;
import oskr.runtime.udp.UdpLoop;
import oskr.runtime.udp.UdpSocket;

/**
 * Runs one replica on UDP: the stage (the stateful executor of {@link StageMode}, {@code -w}
 * workers, timers) and the transport. The first worker's loop owns the replica's socket (and the
 * multicast socket when the config has a {@code multicast} line). All threads are daemons and
 * {@link #close()} joins them.
 */
public final class ReplicaHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaHost.class);

  /** How long {@link #drops()} waits for the stateful executor to answer. */
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final Address address;
  private final StatefulExecutor stage;
  private final List<Worker> workers;
  private final DropCounters drops;
  private final Replica<?> replica;
  private final UdpSocket socket;
  private boolean closed;

  private ReplicaHost(
      Address address,
      StatefulExecutor stage,
      List<Worker> workers,
      DropCounters drops,
      Replica<?> replica,
      UdpSocket socket) {
    this.address = address;
    this.stage = stage;
    this.workers = workers;
    this.drops = drops;
    this.replica = replica;
    this.socket = socket;
  }

  /**
   * Binds the replica's address from the config and starts serving.
   *
   * @throws IOException if the port is in use or the address is not local; the message names the
   *     address and the cause in one line
   */
  public static <M> ReplicaHost start(
      Protocol<M> protocol,
      Config config,
      int index,
      Keyring keyring,
      App app,
      Options options,
      RuntimeOptions runtime)
      throws IOException {
    if (index < 0 || index >= config.n())
      throw new IllegalArgumentException("replica index " + index);
    InetSocketAddress[] replicas = Addresses.resolve(config);
    Optional<InetSocketAddress> multicast = Addresses.resolveMulticast(config);
    String name = "oskr-r" + index;
    List<Worker> workers = new ArrayList<>();
    DropCounters drops = new DropCounters();
    try {
      for (int i = 0; i < runtime.workers(); i++) {
        workers.add(new Worker(runtime.transport(), name + "-w" + i, keyring));
      }
      Worker[] workerArray = workers.toArray(Worker[]::new);
      StatefulExecutor stage =
          StatefulExecutor.create(runtime.stage(), name, runtime.protocolSpin(), workerArray);
      ReplicaContext<M> context =
          new ReplicaContext<>(protocol, config, index, stage, workerArray, drops, replicas);
      ReplicaInbound<M> inbound =
          new ReplicaInbound<>(context, workerArray, runtime.dropRate(), replicas);
      UdpSocket socket = workerArray[0].loop.open(replicas[index], inbound, true, drops);
      if (multicast.isPresent()) {
        NetworkInterface networkInterface = multicastInterface(replicas[index]);
        workerArray[0].loop.openMulticast(multicast.get(), networkInterface, inbound, drops);
      }
      Replica<M> replica =
          protocol.replica(
              new ReplicaSetup<>(config, index, app, options, context, runtime.start()));
      context.attach(new FrameSender(socket, drops), inbound, replica);
      stage.start();
      if (protocol.usesSignatures()) CryptoWarmUp.startOnce(keyring);
      log.info(
          "r{} {} on {} with {} worker(s), {}, stage {}",
          index,
          protocol.name(),
          config.replica(index),
          runtime.workers(),
          runtime.transport().cliName(),
          runtime.stage().cliName());
      return new ReplicaHost(
          config.replica(index), stage, List.copyOf(workers), drops, replica, socket);
    } catch (IOException | RuntimeException e) {
      for (Worker worker : workers) worker.close();
      throw e;
    }
  }

  /**
   * The interface of the replica's own address if it can multicast, else the first interface up
   * that can (loopback usually cannot).
   */
  private static NetworkInterface multicastInterface(InetSocketAddress own) throws IOException {
    try {
      NetworkInterface byAddress = NetworkInterface.getByInetAddress(own.getAddress());
      if (byAddress != null && byAddress.isUp() && byAddress.supportsMulticast()) return byAddress;
      for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (candidate.isUp() && candidate.supportsMulticast() && !candidate.isLoopback())
          return candidate;
      }
    } catch (SocketException e) {
      throw new IOException("cannot list network interfaces for multicast: " + e.getMessage(), e);
    }
    throw new IOException(
        "the config has a multicast line but no network interface here can multicast");
  }

  /** The replica's address from the config. */
  public Address address() {
    return address;
  }

  /**
   * Drop counters by reason: the runtime's (malformed frames, bad signatures, fragments, full
   * queues, {@code --drop}) and the protocol's, summed where a reason appears in both.
   */
  public Map<String, Long> drops() {
    TreeMap<String, Long> all = new TreeMap<>(drops.snapshot());
    try {
      Map<String, Long> protocolDrops = stage.call(() -> replica.drops().snapshot(), QUERY_TIMEOUT);
      protocolDrops.forEach((reason, count) -> all.merge(reason, count, Long::sum));
    } catch (TimeoutException e) {
      all.merge("runtime: protocol drops unavailable (protocol busy)", 1L, Long::sum);
    }
    return all;
  }

  /** CPU time used so far by this replica's threads (stage threads and workers), in ns. */
  public long cpuNanos() {
    List<Thread> threads = new ArrayList<>(stage.threads());
    for (Worker worker : workers) threads.add(worker.loop.thread());
    return ProcessCpu.threadsCpuNanos(threads);
  }

  /** The loop that owns the replica's socket (worker 0's), for tests. */
  UdpLoop socketLoop() {
    return workers.getFirst().loop;
  }

  /** The batched system calls of the replica's socket so far, on the mmsg transport. */
  public Optional<MmsgStats> mmsgStats() {
    return socket.mmsgStats();
  }

  /** Why the protocol stopped (a bug in the node: fail-stop), if it did. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(stage.failure());
  }

  /** Stops the stage and the workers, closes the sockets; returns once all have ended. */
  @Override
  public synchronized void close() {
    if (closed) return;
    closed = true;
    stage.close();
    for (Worker worker : workers) worker.close();
    mmsgStats().ifPresent(stats -> log.info("{}: {}", address, stats));
  }
}
