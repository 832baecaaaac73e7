package oskr.runtime.udp;

import java.net.InetSocketAddress;

/**
 * Datagrams of one socket handed to the kernel together. On the mmsg transport {@link #add} queues
 * (copying the bytes) and {@link #flush} sends everything queued with one {@code sendmmsg} (a full
 * outbox flushes by itself); elsewhere {@link #add} sends at once and {@link #flush} does nothing.
 * Thread safe; meant for one user at a time (a thread, or a node's stateful executor), whose
 * datagrams then leave in the order they were added.
 */
public interface Outbox {
  /** Queues or sends one datagram of at most {@link oskr.core.Limits#DATAGRAM_MAX} bytes. */
  void add(InetSocketAddress to, byte[] data, int offset, int length);

  /**
   * Queues or sends one datagram to a client behind a shared socket: {@code length} bytes of {@code
   * data} (at most {@link oskr.core.Limits#DATAGRAM_MAX}) behind {@link Tags}' header naming {@code
   * tag}.
   */
  default void addTagged(InetSocketAddress to, int tag, byte[] data, int offset, int length) {
    byte[] tagged = Tags.tagged(tag, data, offset, length);
    add(to, tagged, 0, tagged.length);
  }

  /** The same datagram to every target but index {@code exclude} (-1: to all). */
  default void addToAll(
      InetSocketAddress[] targets, int exclude, byte[] data, int offset, int length) {
    for (int i = 0; i < targets.length; i++) {
      if (i != exclude) add(targets[i], data, offset, length);
    }
  }

  /** Hands what is queued to the kernel; failures are counted like single sends. */
  void flush();

  /** Whether {@link #add} queues until {@link #flush} (false: it sends at once). */
  boolean batches();

  /** An outbox that sends each datagram at once through {@link UdpSocket#send}. */
  static Outbox immediate(UdpSocket socket) {
    return new Outbox() {
      @Override
      public void add(InetSocketAddress to, byte[] data, int offset, int length) {
        socket.send(to, data, offset, length);
      }

      @Override
      public void flush() {}

      @Override
      public boolean batches() {
        return false;
      }
    };
  }
}
