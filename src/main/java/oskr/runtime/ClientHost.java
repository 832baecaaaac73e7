package oskr.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.SharedClientSocket;
import oskr.runtime.udp.Transport;

/**
 * Runs {@code clients} protocol clients over UDP, spread over {@code threads} event loops, each
 * client in a closed loop driven by a {@link ClientDriver}: one operation outstanding, the next
 * invoked as soon as the previous completes. Each client has its own name, so replies find their
 * client without the runtime reading protocol fields: on the mmsg transports the clients of a loop
 * share one socket and each tags its datagrams with its index ({@link SharedClientSocket}, {@link
 * oskr.runtime.udp.Tags}); otherwise each has its own UDP socket. Either is on an ephemeral port of
 * the local address that reaches replica 0. Client ids are random 64-bit numbers.
 */
public final class ClientHost implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClientHost.class);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final List<ClientLoop<?>> loops;
  private final List<ClientSlot<?>> slots;
  private final DropCounters drops;
  private volatile boolean closed;
  private boolean stopped;

  private ClientHost(DropCounters drops) {
    this.loops = new ArrayList<>();
    this.slots = new ArrayList<>();
    this.drops = drops;
  }

  /** Starts the clients on the default transport. */
  public static <M> ClientHost start(
      Protocol<M> protocol,
      Config config,
      Keyring keyring,
      Options options,
      int clients,
      int threads,
      ClientDriver driver)
      throws IOException {
    return start(protocol, config, keyring, options, clients, threads, driver, Transport.DEFAULT);
  }

  /**
   * Starts {@code clients} clients on {@code min(threads, clients)} event loops.
   *
   * @throws IOException if no local socket can be opened or a config host does not resolve
   */
  public static <M> ClientHost start(
      Protocol<M> protocol,
      Config config,
      Keyring keyring,
      Options options,
      int clients,
      int threads,
      ClientDriver driver,
      Transport transport)
      throws IOException {
    if (clients < 1) throw new IllegalArgumentException("clients must be at least 1");
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    InetSocketAddress[] replicas = Addresses.resolve(config);
    InetAddress local = Addresses.localAddressFor(replicas[0]);
    ClientHost host = new ClientHost(new DropCounters());
    try {
      List<ClientLoop<M>> loops = new ArrayList<>();
      for (int i = 0; i < Math.min(threads, clients); i++) {
        ClientLoop<M> loop =
            new ClientLoop<>(
                protocol, config, keyring, replicas, host.drops, transport, "oskr-c" + i);
        loops.add(loop);
        host.loops.add(loop);
      }
      if (transport.batchesSystemCalls()) shareSockets(loops, local);
      List<ClientSlot<M>> slots = new ArrayList<>();
      SecureRandom random = new SecureRandom();
      HashSet<Long> clientIds = new HashSet<>();
      for (int i = 0; i < clients; i++) {
        long clientId;
        do {
          clientId = random.nextLong();
        } while (!clientIds.add(clientId));
        ClientLoop<M> loop = loops.get(i % loops.size());
        ClientSlot<M> slot =
            new ClientSlot<>(
                loop, i, clientId, options, new InetSocketAddress(local, 0), driver, host);
        slots.add(slot);
        host.slots.add(slot);
      }
      for (int i = 0; i < clients; i++) {
        ClientSlot<M> slot = slots.get(i);
        loops.get(i % loops.size()).loop.execute(slot::start);
      }
      return host;
    } catch (IOException | RuntimeException e) {
      host.close();
      throw e;
    }
  }

  /**
   * Gives each loop one shared socket on {@code local}, its clients told apart by tags; if a loop
   * cannot open one, says in one line why its clients keep one socket each.
   */
  private static void shareSockets(List<? extends ClientLoop<?>> loops, InetAddress local) {
    try {
      for (ClientLoop<?> loop : loops) loop.shareSocket(local);
    } catch (IOException e) {
      log.warn("clients use one socket each on the remaining loops: {}", e.getMessage());
    }
  }

  /** How many client loops share one socket among their clients. */
  int sharedSockets() {
    int shared = 0;
    for (ClientLoop<?> loop : loops) if (loop.sharesSocket()) shared++;
    return shared;
  }

  /** The address replies to client {@code client} go to. */
  InetSocketAddress clientAddress(int client) {
    return slots.get(client).localAddress();
  }

  boolean isClosed() {
    return closed;
  }

  /** Drop counters by reason: the runtime's (malformed, rejected) and the clients', summed. */
  public Map<String, Long> drops() {
    TreeMap<String, Long> all = new TreeMap<>(drops.snapshot());
    for (ClientLoop<?> loop : loops) {
      for (Map<String, Long> clientDrops : clientDropsOf(loop)) {
        clientDrops.forEach((reason, count) -> all.merge(reason, count, Long::sum));
      }
    }
    return all;
  }

  /** The drops of a loop's clients, read on the loop thread (or directly once it has stopped). */
  private List<Map<String, Long>> clientDropsOf(ClientLoop<?> loop) {
    List<ClientSlot<?>> mine = new ArrayList<>();
    for (ClientSlot<?> slot : slots) if (slot.owner() == loop) mine.add(slot);
    if (isStopped() || loop.loop.inLoop()) return snapshots(mine);
    CompletableFuture<List<Map<String, Long>>> answer = new CompletableFuture<>();
    loop.loop.execute(() -> answer.complete(snapshots(mine)));
    try {
      return answer.get(QUERY_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (ExecutionException | TimeoutException e) {
      return isStopped() ? snapshots(mine) : List.of(); // stopped meanwhile: nothing races now
    }
  }

  private synchronized boolean isStopped() {
    return stopped;
  }

  private static List<Map<String, Long>> snapshots(List<ClientSlot<?>> slots) {
    List<Map<String, Long>> copies = new ArrayList<>();
    for (ClientSlot<?> slot : slots) copies.add(slot.clientDrops());
    return copies;
  }

  /**
   * Client {@code client}, idle because its driver said it was finished, invokes the driver's next
   * operation now. Only while the client has no operation outstanding; from any thread.
   */
  public void resume(int client) {
    slots.get(client).resume();
  }

  /** CPU time used so far by the client loops' threads, in ns. */
  public long cpuNanos() {
    List<Thread> threads = new ArrayList<>();
    for (ClientLoop<?> loop : loops) threads.add(loop.loop.thread());
    return ProcessCpu.threadsCpuNanos(threads);
  }

  /** Why a client loop stopped (a bug in a client or the driver: fail-stop), if one did. */
  public Optional<Throwable> failure() {
    for (ClientLoop<?> loop : loops) if (loop.failed()) return Optional.of(loop.failure());
    return Optional.empty();
  }

  /** Stops every client loop and closes the sockets; no completion is reported after it returns. */
  @Override
  public synchronized void close() {
    if (stopped) return;
    closed = true;
    for (ClientLoop<?> loop : loops) loop.close();
    stopped = true;
  }
}
