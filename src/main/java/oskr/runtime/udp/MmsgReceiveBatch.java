package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * The native memory one {@code recvmmsg} call fills: {@link #SLOTS} datagram buffers, each room for
 * any UDP payload (so nothing is truncated and an oversized datagram arrives whole to be counted),
 * their sender addresses and the headers. One per loop, shared by its mmsg sockets: they read on
 * the loop thread only and each datagram is copied out before the next call. Loop thread only.
 */
final class MmsgReceiveBatch implements AutoCloseable {
  /** Datagrams one call may return. */
  static final int SLOTS = 64;

  /** Per datagram, as {@link NioSocket#RECEIVE_BUFFER_BYTES}: larger than any UDP payload. */
  static final int SLOT_BYTES = NioSocket.RECEIVE_BUFFER_BYTES;

  private final Arena arena = Arena.ofConfined(); // made, used and closed on the loop thread
  final MemorySegment headers = arena.allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE, 8);
  private final MemorySegment iovecs = arena.allocate(SLOTS * MmsgLayouts.IOVEC_SIZE, 8);
  private final MemorySegment names = arena.allocate((long) SLOTS * SockAddrs.STRIDE, 8);
  private final MemorySegment buffers = arena.allocate((long) SLOTS * SLOT_BYTES, 8);
  final MemorySegment errno = MmsgCalls.newErrnoSegment(arena);

  MmsgReceiveBatch() {
    MmsgLayouts.link(headers, iovecs, names, SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      MmsgLayouts.setBuffer(iovecs, i, buffers, (long) i * SLOT_BYTES, SLOT_BYTES);
    }
  }

  /** Before a call for {@code count} datagrams: the kernel overwrites each name length. */
  void prepare(int count) {
    for (int i = 0; i < count; i++) {
      headers.set(
          JAVA_INT, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_NAMELEN, SockAddrs.STRIDE);
    }
  }

  /** The sender of datagram {@code i} of the last call, or null if the kernel gave none. */
  InetSocketAddress sender(int i, SockAddrs.Cache cache) {
    int length = headers.get(JAVA_INT, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_NAMELEN);
    return cache.read(names, (long) i * SockAddrs.STRIDE, length);
  }

  /** A fresh copy of datagram {@code i} of the last call. */
  byte[] copy(int i) {
    int length = headers.get(JAVA_INT, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_LEN);
    assert length >= 0 && length <= SLOT_BYTES : length;
    byte[] data = new byte[length];
    MemorySegment.copy(buffers, JAVA_BYTE, (long) i * SLOT_BYTES, data, 0, length);
    return data;
  }

  @Override
  public void close() {
    arena.close();
  }
}
