package oskr.runtime.udp;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import oskr.core.Limits;

/**
 * Sends frames over one socket: a frame that fits goes as one datagram, a larger one as {@link
 * Fragments}. Thread safe, like the socket.
 */
public final class FrameSender {
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[Limits.DATAGRAM_MAX]);

  private final UdpSocket socket;
  private final DropCounters drops;
  // Random start: a restarted node must not reuse frame ids a receiver still holds partials of.
  private final AtomicLong nextFrameId = new AtomicLong(new SecureRandom().nextLong());

  public FrameSender(UdpSocket socket, DropCounters drops) {
    this.socket = socket;
    this.drops = drops;
  }

  public UdpSocket socket() {
    return socket;
  }

  public void send(InetSocketAddress to, byte[] frame, int offset, int length) {
    if (length <= Limits.DATAGRAM_MAX) {
      socket.send(to, frame, offset, length);
      return;
    }
    sendFragments(null, to, Tags.NONE, frame, offset, length);
  }

  /**
   * As {@link #send} but through {@code outbox} (one of this sender's socket), so that the
   * datagrams leave with the outbox's next flush, batched where the transport batches.
   */
  public void send(Outbox outbox, InetSocketAddress to, byte[] frame, int offset, int length) {
    send(outbox, to, Tags.NONE, frame, offset, length);
  }

  /**
   * As {@link #send(Outbox, InetSocketAddress, byte[], int, int)}, to the client behind a shared
   * socket that {@code tag} names ({@link Tags}), or untagged if {@code tag} is {@link Tags#NONE}.
   */
  public void send(
      Outbox outbox, InetSocketAddress to, int tag, byte[] frame, int offset, int length) {
    if (length <= Limits.DATAGRAM_MAX) {
      add(outbox, to, tag, frame, offset, length);
      return;
    }
    sendFragments(outbox, to, tag, frame, offset, length);
  }

  private static void add(
      Outbox outbox, InetSocketAddress to, int tag, byte[] data, int offset, int length) {
    if (tag == Tags.NONE) {
      outbox.add(to, data, offset, length);
    } else {
      outbox.addTagged(to, tag, data, offset, length);
    }
  }

  /** A frame above one datagram, as fragments: through {@code outbox}, or sent at once if null. */
  private void sendFragments(
      Outbox outbox, InetSocketAddress to, int tag, byte[] frame, int offset, int length) {
    if (length > Limits.FRAME_MAX) {
      drops.count("send: frame above FRAME_MAX");
      return;
    }
    long frameId = nextFrameId.getAndIncrement();
    int count = Fragments.count(length);
    byte[] datagram = SCRATCH.get();
    for (int index = 0; index < count; index++) {
      int payload = Fragments.payloadLength(length, index, count);
      Fragments.writeHeader(datagram, frameId, length, index, count);
      System.arraycopy(
          frame,
          offset + index * Fragments.PAYLOAD_MAX,
          datagram,
          Fragments.HEADER_LENGTH,
          payload);
      if (outbox == null) {
        socket.send(to, datagram, 0, Fragments.HEADER_LENGTH + payload);
      } else { // copies: the scratch is reused
        add(outbox, to, tag, datagram, 0, Fragments.HEADER_LENGTH + payload);
      }
    }
  }
}
