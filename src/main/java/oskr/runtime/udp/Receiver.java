package oskr.runtime.udp;

import java.net.InetSocketAddress;

/**
 * Where a socket delivers what it reads. Called on the socket's loop thread only; must not block.
 */
public interface Receiver {
  /**
   * One datagram. {@code data} is a fresh array of exactly the datagram's length, owned by the
   * receiver from now on (it may hand it to another thread without copying).
   */
  void onDatagram(InetSocketAddress from, byte[] data);

  /** The end of one batch of reads on this socket: a good moment to flush hand-offs. */
  default void onBatchEnd() {}
}
