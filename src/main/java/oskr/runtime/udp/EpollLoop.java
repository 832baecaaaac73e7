package oskr.runtime.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;

/**
 * A loop on one Netty epoll event loop. Busy sockets read with recvmmsg; sends from any thread are
 * queued and written by the loop with one sendmmsg per batch ({@link EpollSocket}).
 */
final class EpollLoop implements UdpLoop {
  /** Datagrams one recvmmsg call may return on a batched socket. */
  static final int DATAGRAMS_PER_READ = 16;

  /** Room for the largest UDP payload, so nothing is truncated and oversize can be counted. */
  static final int DATAGRAM_ROOM = 1 << 16;

  private final MultiThreadIoEventLoopGroup group;
  private final EventLoop loop;
  private final Thread thread;
  private final Runnable onWake;
  private long wakeAt = Long.MAX_VALUE; // loop thread only
  private ScheduledFuture<?> pendingWake; // loop thread only

  EpollLoop(String threadName, Runnable onWake) {
    this.onWake = onWake;
    Thread[] made = new Thread[1];
    this.group =
        new MultiThreadIoEventLoopGroup(
            1,
            runnable -> {
              Thread thread = new FastThreadLocalThread(runnable, threadName);
              thread.setDaemon(true);
              made[0] = thread;
              return thread;
            },
            EpollIoHandler.newFactory());
    this.loop = group.next();
    // Netty starts the thread on the first task; start it now so thread() is known.
    loop.submit(() -> {}).syncUninterruptibly();
    this.thread = made[0];
  }

  @Override
  public UdpSocket open(
      InetSocketAddress bind, Receiver receiver, boolean batchedReceive, DropCounters drops)
      throws IOException {
    Bootstrap bootstrap = bootstrap(bind, receiver, drops);
    if (batchedReceive) {
      bootstrap
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_ROOM)
          .option(
              ChannelOption.RECVBUF_ALLOCATOR,
              new FixedRecvByteBufAllocator(DATAGRAM_ROOM * DATAGRAMS_PER_READ));
    }
    ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
    if (!bound.isSuccess()) throw Transport.bindFailure(bind, bound.cause());
    return new EpollSocket((EpollDatagramChannel) bound.channel(), drops);
  }

  @Override
  public UdpSocket openMulticast(
      InetSocketAddress group,
      NetworkInterface networkInterface,
      Receiver receiver,
      DropCounters drops)
      throws IOException {
    Bootstrap bootstrap =
        bootstrap(group, receiver, drops).option(ChannelOption.SO_REUSEADDR, true);
    ChannelFuture bound =
        bootstrap.bind(new InetSocketAddress(group.getPort())).awaitUninterruptibly();
    String what = group + " (multicast on " + networkInterface.getName() + ")";
    if (!bound.isSuccess()) throw Transport.bindFailure(what, bound.cause());
    EpollDatagramChannel channel = (EpollDatagramChannel) bound.channel();
    ChannelFuture joined = channel.joinGroup(group, networkInterface).awaitUninterruptibly();
    if (!joined.isSuccess()) {
      channel.close().awaitUninterruptibly();
      throw Transport.bindFailure(what, joined.cause());
    }
    return new EpollSocket(channel, drops);
  }

  private Bootstrap bootstrap(InetSocketAddress address, Receiver receiver, DropCounters drops) {
    SocketProtocolFamily family =
        address.getAddress() instanceof Inet6Address
            ? SocketProtocolFamily.INET6
            : SocketProtocolFamily.INET;
    return new Bootstrap()
        .group(loop)
        .channelFactory(() -> new EpollDatagramChannel(family))
        .option(ChannelOption.SO_RCVBUF, NioLoop.SOCKET_BUFFER_BYTES)
        .option(ChannelOption.SO_SNDBUF, NioLoop.SOCKET_BUFFER_BYTES)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_ROOM))
        .handler(new EpollInbound(receiver, drops));
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public boolean inLoop() {
    return loop.inEventLoop();
  }

  @Override
  public void wakeAt(long deadlineNanos) {
    assert inLoop() : "wakeAt off the loop thread";
    if (deadlineNanos - wakeAt >= 0) return;
    wakeAt = deadlineNanos;
    if (pendingWake != null) pendingWake.cancel(false);
    long delay = Math.max(0, deadlineNanos - System.nanoTime());
    pendingWake = loop.schedule(this::wake, delay, TimeUnit.NANOSECONDS);
  }

  private void wake() {
    wakeAt = Long.MAX_VALUE;
    pendingWake = null;
    onWake.run();
  }

  @Override
  public Thread thread() {
    return thread;
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
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
