package oskr.runtime.udp;

import java.net.InetSocketAddress;

/** A bound UDP socket owned by one {@link UdpLoop}. */
public interface UdpSocket {
  InetSocketAddress localAddress();

  /**
   * Sends one datagram of at most {@link oskr.core.Limits#DATAGRAM_MAX} bytes, best effort. Thread
   * safe; copies the bytes before it returns, so the caller may reuse its buffer. Never blocks: a
   * datagram that cannot be sent now is dropped and counted.
   */
  void send(InetSocketAddress to, byte[] data, int offset, int length);

  /**
   * The tag this socket's datagrams carry ({@link Tags}): a client's index on a shared socket, or
   * {@link Tags#NONE} for a socket of its own.
   */
  default int tag() {
    return Tags.NONE;
  }

  /**
   * A new outbox of this socket: batched on the mmsg transport, sending at once ({@link
   * Outbox#immediate}) elsewhere. Any thread.
   */
  default Outbox newOutbox() {
    return Outbox.immediate(this);
  }

  /** Its batched system calls so far, on the mmsg transport; empty elsewhere. */
  default java.util.Optional<MmsgStats> mmsgStats() {
    return java.util.Optional.empty();
  }
}
