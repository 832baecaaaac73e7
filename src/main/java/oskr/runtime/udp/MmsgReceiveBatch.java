package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * The native memory one {@code recvmmsg} call fills: {@link #SLOTS} datagram buffers, each room for
 * any UDP payload (so nothing is truncated and an oversized datagram arrives whole to be counted),
 * their sender addresses and the headers. One per loop, shared by its mmsg sockets: they read on
 * the loop thread only and each datagram is copied out before the next call. Loop thread only.
 *
 * <p>On a socket with {@code UDP_GRO} set, one slot may hold several datagrams of one sender,
 * coalesced: the slot's control message says their size ({@link #segmentSize}), the last one may be
 * shorter.
 */
final class MmsgReceiveBatch implements AutoCloseable {
  /** Datagrams one call may return. */
  static final int SLOTS = 64;

  /**
   * Room for a {@code UDP_GRO} control message ({@code CMSG_SPACE(sizeof(int))} is 24) and more.
   */
  private static final int CONTROL_BYTES = 64;

  private static final int CMSG_HEADER = 16;
  private static final ValueLayout.OfInt U32 =
      JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withByteAlignment(1);

  /** Per datagram, as {@link NioSocket#RECEIVE_BUFFER_BYTES}: larger than any UDP payload. */
  static final int SLOT_BYTES = NioSocket.RECEIVE_BUFFER_BYTES;

  private final Arena arena = Arena.ofConfined(); // made, used and closed on the loop thread
  final MemorySegment headers = arena.allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE, 8);
  private final MemorySegment iovecs = arena.allocate(SLOTS * MmsgLayouts.IOVEC_SIZE, 8);
  private final MemorySegment names = arena.allocate((long) SLOTS * SockAddrs.STRIDE, 8);
  private final MemorySegment buffers = arena.allocate((long) SLOTS * SLOT_BYTES, 8);
  private final MemorySegment controls = arena.allocate((long) SLOTS * CONTROL_BYTES, 8);
  final MemorySegment errno = MmsgCalls.newErrnoSegment(arena);

  MmsgReceiveBatch() {
    MmsgLayouts.link(headers, iovecs, names, SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      MmsgLayouts.setBuffer(iovecs, i, buffers, (long) i * SLOT_BYTES, SLOT_BYTES);
      headers.set(
          JAVA_LONG,
          i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_CONTROL,
          controls.address() + (long) i * CONTROL_BYTES);
    }
  }

  /** Before a call for {@code count} slots: the kernel overwrites the name and control lengths. */
  void prepare(int count) {
    for (int i = 0; i < count; i++) {
      long header = i * MmsgLayouts.MMSGHDR_SIZE;
      headers.set(JAVA_INT, header + MmsgLayouts.MSG_NAMELEN, SockAddrs.STRIDE);
      headers.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN, CONTROL_BYTES);
    }
  }

  /** The bytes slot {@code i} of the last call received. */
  int length(int i) {
    int length = headers.get(JAVA_INT, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_LEN);
    assert length >= 0 && length <= SLOT_BYTES : length;
    return length;
  }

  /**
   * The size of the datagrams coalesced in slot {@code i} (its {@code UDP_GRO} control message), or
   * its whole length if it holds one datagram.
   */
  int segmentSize(int i) {
    long controlLength =
        Math.min(
            headers.get(JAVA_LONG, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_CONTROLLEN),
            CONTROL_BYTES);
    long base = (long) i * CONTROL_BYTES;
    long at = 0;
    while (at + CMSG_HEADER <= controlLength) {
      long length = controls.get(JAVA_LONG, base + at);
      if (length < CMSG_HEADER || at + length > controlLength) break;
      if (controls.get(JAVA_INT, base + at + 8) == MmsgCalls.SOL_UDP
          && controls.get(JAVA_INT, base + at + 12) == MmsgCalls.UDP_GRO
          && length >= CMSG_HEADER + 4) {
        int size = controls.get(JAVA_INT, base + at + CMSG_HEADER);
        if (size > 0) return size;
      }
      at += (length + 7) & ~7L;
    }
    return length(i);
  }

  /** Byte {@code offset} of slot {@code i}, unsigned. */
  int u8(int i, int offset) {
    return buffers.get(JAVA_BYTE, (long) i * SLOT_BYTES + offset) & 0xff;
  }

  /** The big-endian u32 at {@code offset} of slot {@code i}, as an int. */
  int u32(int i, int offset) {
    return buffers.get(U32, (long) i * SLOT_BYTES + offset);
  }

  /** A fresh copy of {@code length} bytes of slot {@code i} from {@code offset}. */
  byte[] copy(int i, int offset, int length) {
    assert offset >= 0 && offset + length <= length(i) : offset + "+" + length;
    byte[] data = new byte[length];
    MemorySegment.copy(buffers, JAVA_BYTE, (long) i * SLOT_BYTES + offset, data, 0, length);
    return data;
  }

  /** The sender of datagram {@code i} of the last call, or null if the kernel gave none. */
  InetSocketAddress sender(int i, SockAddrs.Cache cache) {
    int length = headers.get(JAVA_INT, i * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_NAMELEN);
    return cache.read(names, (long) i * SockAddrs.STRIDE, length);
  }

  @Override
  public void close() {
    arena.close();
  }
}
