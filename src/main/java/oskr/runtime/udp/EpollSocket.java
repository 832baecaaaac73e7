package oskr.runtime.udp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends through a queue that the loop drains in one go: one wake-up and one sendmmsg for all the
 * datagrams queued meanwhile, from any number of threads.
 */
final class EpollSocket implements UdpSocket {
  /** Datagrams queued and not yet handed to the kernel; past it, sends are dropped. */
  static final int OUTBOX_MAX = 1 << 16;

  private final EpollDatagramChannel channel;
  private final DropCounters drops;
  private final InetSocketAddress localAddress;
  private final ConcurrentLinkedQueue<DatagramPacket> outbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final Runnable drain = this::drain;

  EpollSocket(EpollDatagramChannel channel, DropCounters drops) {
    this.channel = channel;
    this.drops = drops;
    this.localAddress = channel.localAddress();
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  @Override
  public void send(InetSocketAddress to, byte[] data, int offset, int length) {
    if (queued.incrementAndGet() > OUTBOX_MAX) {
      queued.decrementAndGet();
      drops.count("send: outbox full");
      return;
    }
    ByteBuf buffer = channel.alloc().directBuffer(length).writeBytes(data, offset, length);
    outbox.offer(new DatagramPacket(buffer, to));
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(drain);
      } catch (RejectedExecutionException e) {
        discard(); // the loop has shut down
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    if (!channel.isActive()) {
      discard();
      return;
    }
    DatagramPacket packet;
    while ((packet = outbox.poll()) != null) {
      queued.decrementAndGet();
      channel.write(packet, channel.voidPromise());
    }
    channel.flush();
  }

  private void discard() {
    DatagramPacket packet;
    while ((packet = outbox.poll()) != null) {
      queued.decrementAndGet();
      packet.release();
      drops.count("send: socket closed");
    }
  }
}
