package oskr.runtime.udp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loop on a JDK {@link Selector}: level-triggered epoll underneath, one {@code recvfrom} per
 * datagram, sends on the caller's thread. Tasks wake the selector only when it sleeps. Given the
 * batched system calls ({@link Transport#MMSG}), its batched-receive sockets read with {@code
 * recvmmsg} and their outboxes send with {@code sendmmsg} ({@link MmsgSocket}).
 */
final class NioLoop implements UdpLoop {
  private static final Logger log = LoggerFactory.getLogger(NioLoop.class);

  /** Datagrams read from one socket before the loop looks at its other sockets and tasks. */
  static final int READ_BUDGET = 64;

  /** Tasks run per turn, so that a flood of tasks cannot starve the sockets. */
  private static final int TASK_BUDGET = 1024;

  static final int SOCKET_BUFFER_BYTES = 4 << 20;
  private static final int REGISTER_TIMEOUT_SECONDS = 10;

  private final Selector selector;
  private final MmsgCalls mmsg; // null: plain NIO
  private final boolean offload; // segmentation offload on mmsg sockets
  private final Thread thread;
  private final Runnable onWake;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<NioSocket> sockets = new ArrayList<>(); // loop thread only
  private final List<SharedClientSocket> sharedSockets = new ArrayList<>(); // loop thread only

  /** Every socket of this loop receives into it, on the loop thread. */
  private final ByteBuffer receiveBuffer =
      ByteBuffer.allocateDirect(NioSocket.RECEIVE_BUFFER_BYTES);

  private volatile boolean running = true;
  private volatile boolean selecting;
  private long wakeAt = Long.MAX_VALUE; // loop thread only
  private MmsgReceiveBatch mmsgBatch; // loop thread only, made when an mmsg socket first reads

  NioLoop(String threadName, Runnable onWake) throws IOException {
    this(threadName, onWake, null, false);
  }

  /**
   * @param mmsg the batched system calls, or null for plain NIO
   * @param offload whether mmsg sockets ask for UDP segmentation offload ({@link Transport#GSO})
   */
  NioLoop(String threadName, Runnable onWake, MmsgCalls mmsg, boolean offload) throws IOException {
    this.mmsg = mmsg;
    this.offload = offload && mmsg != null;
    this.selector = Selector.open();
    this.onWake = onWake;
    this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::run);
    thread.start();
  }

  @Override
  public UdpSocket open(
      InetSocketAddress bind, Receiver receiver, boolean batchedReceive, DropCounters drops)
      throws IOException {
    DatagramChannel channel = DatagramChannel.open(family(bind));
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.bind(bind);
    } catch (IOException e) {
      channel.close();
      throw Transport.bindFailure(bind, e);
    }
    return register(channel, receiver, drops, batchedReceive && mmsg != null);
  }

  @Override
  public UdpSocket openMulticast(
      InetSocketAddress group,
      NetworkInterface networkInterface,
      Receiver receiver,
      DropCounters drops)
      throws IOException {
    DatagramChannel channel = DatagramChannel.open(family(group));
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.bind(new InetSocketAddress(group.getPort()));
      channel.join(group.getAddress(), networkInterface);
    } catch (IOException e) {
      channel.close();
      throw Transport.bindFailure(group + " (multicast on " + networkInterface.getName() + ")", e);
    }
    // SO_REUSEADDR lets sockets share the address, so its descriptor cannot be told apart: NIO.
    return register(channel, receiver, drops, false);
  }

  private static StandardProtocolFamily family(InetSocketAddress address) {
    return address.getAddress() instanceof java.net.Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  /** Registers on the loop thread: a selector's key set belongs to the thread that selects. */
  private UdpSocket register(
      DatagramChannel channel, Receiver receiver, DropCounters drops, boolean batched)
      throws IOException {
    channel.configureBlocking(false);
    NioSocket socket =
        batched
            ? batchedSocket(channel, receiver, drops)
            : new NioSocket(channel, receiver, drops, receiveBuffer);
    return register(socket);
  }

  private <S extends NioSocket> S register(S socket) throws IOException {
    if (inLoop()) {
      registerOnLoop(socket);
      return socket;
    }
    CompletableFuture<Void> registered = new CompletableFuture<>();
    execute(
        () -> {
          try {
            registerOnLoop(socket);
            registered.complete(null);
          } catch (IOException | RuntimeException e) {
            registered.completeExceptionally(e);
          }
        });
    try {
      registered.get(REGISTER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      socket.close();
      throw new IOException("the loop did not register " + socket.localAddress() + " (closed?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      socket.close();
      throw new IOException("interrupted while opening " + socket.localAddress(), e);
    } catch (ExecutionException e) {
      socket.close();
      throw new IOException("cannot register " + socket.localAddress(), e.getCause());
    }
    return socket;
  }

  /**
   * One socket for many clients ({@link SharedClientSocket}) on an ephemeral port of {@code bind};
   * only with the batched system calls.
   */
  @Override
  public SharedClientSocket openSharedClients(DropCounters drops, InetAddress bind)
      throws IOException {
    if (mmsg == null) {
      throw new IOException(
          "this loop does not use the batched system calls (NIO, or unavailable)");
    }
    InetSocketAddress address = new InetSocketAddress(bind, 0);
    DatagramChannel channel = DatagramChannel.open(family(address));
    SharedClientSocket socket;
    try {
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.bind(address);
      channel.configureBlocking(false);
      socket =
          new SharedClientSocket(
              channel,
              drops,
              receiveBuffer,
              mmsg,
              SocketFd.find(mmsg, channel),
              this::mmsgBatch,
              offload);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    return register(socket);
  }

  /** An {@link MmsgSocket}, or a plain one (logged) if the channel's descriptor is not found. */
  private NioSocket batchedSocket(DatagramChannel channel, Receiver receiver, DropCounters drops)
      throws IOException {
    int fd;
    try {
      fd = SocketFd.find(mmsg, channel);
    } catch (IOException | RuntimeException e) {
      log.warn("{}: {}: recvmmsg/sendmmsg not used on it", thread.getName(), e.getMessage());
      return new NioSocket(channel, receiver, drops, receiveBuffer);
    }
    return new MmsgSocket(
        channel, receiver, drops, receiveBuffer, mmsg, fd, this::mmsgBatch, offload);
  }

  private MmsgReceiveBatch mmsgBatch() {
    assert inLoop() : "an mmsg read off the loop thread";
    if (mmsgBatch == null) mmsgBatch = new MmsgReceiveBatch();
    return mmsgBatch;
  }

  private void registerOnLoop(NioSocket socket) throws IOException {
    if (!running) throw new IOException("the loop is closed");
    socket.channel().register(selector, SelectionKey.OP_READ, socket);
    sockets.add(socket);
    if (socket instanceof SharedClientSocket shared) sharedSockets.add(shared);
  }

  @Override
  public void execute(Runnable task) {
    tasks.offer(task);
    if (selecting && !inLoop()) selector.wakeup();
  }

  @Override
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  @Override
  public void wakeAt(long deadlineNanos) {
    assert inLoop() : "wakeAt off the loop thread";
    if (deadlineNanos - wakeAt < 0) wakeAt = deadlineNanos;
  }

  @Override
  public Thread thread() {
    return thread;
  }

  private void run() {
    try {
      while (running) {
        runTasks();
        flushShared();
        select();
        wakeIfDue();
      }
    } catch (IOException | ClosedSelectorException e) {
      if (running) log.error("{}: selector failed, the loop stops", thread.getName(), e);
    } finally {
      closeSockets();
    }
  }

  private void select() throws IOException {
    selecting = true;
    try {
      if (!tasks.isEmpty() || !running) {
        selector.selectNow(this::onReady);
        return;
      }
      if (wakeAt == Long.MAX_VALUE) {
        selector.select(this::onReady);
        return;
      }
      long remaining = wakeAt - System.nanoTime();
      if (remaining <= 0) {
        selector.selectNow(this::onReady);
      } else {
        selector.select(this::onReady, Math.max(1, (remaining + 999_999) / 1_000_000));
      }
    } finally {
      selecting = false;
    }
  }

  private void onReady(SelectionKey key) {
    NioSocket socket = (NioSocket) key.attachment();
    try {
      socket.readReady(READ_BUDGET);
    } catch (RuntimeException | AssertionError e) {
      log.error("{}: a receiver failed", thread.getName(), e);
    }
  }

  private void runTasks() {
    for (int i = 0; i < TASK_BUDGET; i++) {
      Runnable task = tasks.poll();
      if (task == null) return;
      try {
        task.run();
      } catch (RuntimeException | AssertionError e) {
        log.error("{}: a task failed", thread.getName(), e);
      }
    }
  }

  /**
   * What the clients of shared sockets queued since the last flush leaves before the loop waits.
   */
  private void flushShared() {
    for (SharedClientSocket socket : sharedSockets) {
      try {
        socket.flush();
      } catch (RuntimeException e) {
        log.error("{}: a flush failed", thread.getName(), e);
      }
    }
  }

  private void wakeIfDue() {
    if (wakeAt == Long.MAX_VALUE || System.nanoTime() - wakeAt < 0) return;
    wakeAt = Long.MAX_VALUE;
    try {
      onWake.run();
    } catch (RuntimeException | AssertionError e) {
      log.error("{}: a wake-up failed", thread.getName(), e);
    }
  }

  private void closeSockets() {
    for (NioSocket socket : sockets) socket.close();
    sockets.clear();
    sharedSockets.clear();
    if (mmsgBatch != null) mmsgBatch.close();
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("{}: closing the selector", thread.getName(), e);
    }
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    if (inLoop()) return;
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
