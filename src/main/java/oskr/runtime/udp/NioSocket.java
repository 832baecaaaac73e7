package oskr.runtime.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A non-blocking {@link DatagramChannel} on a {@link NioLoop}: one {@code recvfrom} per datagram,
 * sends on the caller's thread. {@link MmsgSocket} batches both on the same channel.
 */
class NioSocket implements UdpSocket {
  private static final Logger log = LoggerFactory.getLogger(NioSocket.class);

  /** Larger than any UDP payload, so an oversized datagram arrives whole and can be counted. */
  static final int RECEIVE_BUFFER_BYTES = 1 << 16;

  final DatagramChannel channel;
  final Receiver receiver;
  final DropCounters drops;
  private final InetSocketAddress localAddress;

  /**
   * The loop's buffer, shared by its sockets: they read on the loop thread only, and a datagram is
   * copied out before the next read, so 100,000 client sockets need no 6 GiB of direct memory.
   */
  private final ByteBuffer receiveBuffer;

  NioSocket(
      DatagramChannel channel, Receiver receiver, DropCounters drops, ByteBuffer receiveBuffer)
      throws IOException {
    if (!receiveBuffer.isDirect() || receiveBuffer.capacity() < RECEIVE_BUFFER_BYTES) {
      throw new IllegalArgumentException("a receive buffer holds any datagram, off the heap");
    }
    this.channel = channel;
    this.receiver = receiver;
    this.drops = drops;
    this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    this.receiveBuffer = receiveBuffer;
  }

  DatagramChannel channel() {
    return channel;
  }

  @Override
  public InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Reads up to {@code budget} datagrams; the selector reports the socket again if more wait. */
  void readReady(int budget) {
    int read = 0;
    try {
      while (read < budget) {
        receiveBuffer.clear();
        SocketAddress from = channel.receive(receiveBuffer);
        if (from == null) break;
        receiveBuffer.flip();
        byte[] data = new byte[receiveBuffer.remaining()];
        receiveBuffer.get(data);
        read++;
        receiver.onDatagram((InetSocketAddress) from, data);
      }
    } catch (IOException e) {
      drops.count("receive: error");
      log.debug("{}: receive failed", localAddress, e);
    }
    if (read > 0) receiver.onBatchEnd();
  }

  @Override
  public void send(InetSocketAddress to, byte[] data, int offset, int length) {
    try {
      // A heap buffer: the JDK copies it into its per-thread direct buffer, allocation-free.
      if (channel.send(ByteBuffer.wrap(data, offset, length), to) == 0) {
        drops.count("send: socket buffer full");
      }
    } catch (IOException e) {
      drops.count("send: error");
      log.debug("{}: send to {} failed", localAddress, to, e);
    }
  }

  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("{}: close failed", localAddress, e);
    }
  }
}
