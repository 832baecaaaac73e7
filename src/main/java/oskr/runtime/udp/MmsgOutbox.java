package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * An outbox of an {@link MmsgSocket}: up to {@link #SLOTS} datagrams (and {@link #DATA_BYTES} of
 * payload) copied into native memory, then sent with one {@code sendmmsg}. A datagram sent to
 * several targets is copied once and named by several headers. Synchronized, so the socket's loop
 * may flush what a node's executor added; closed by the socket.
 */
final class MmsgOutbox implements Outbox {
  static final int SLOTS = 64;

  /** Payload room: four full fragments, or a few hundred small replies. */
  static final int DATA_BYTES = 256 << 10;

  static final String UNREACHABLE = "send: address family not reachable from this socket";

  private final MmsgSocket socket;
  private final Arena arena = Arena.ofShared(); // any thread, one at a time (synchronized)
  private final MemorySegment headers = arena.allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE, 8);
  private final MemorySegment iovecs = arena.allocate(SLOTS * MmsgLayouts.IOVEC_SIZE, 8);
  private final MemorySegment names = arena.allocate((long) SLOTS * SockAddrs.STRIDE, 8);
  private final MemorySegment data = arena.allocate(DATA_BYTES, 8);
  private final MemorySegment errno = MmsgCalls.newErrnoSegment(arena);
  private int count; // datagrams queued
  private long used; // payload bytes queued
  private boolean closed;

  MmsgOutbox(MmsgSocket socket) {
    this.socket = socket;
    MmsgLayouts.link(headers, iovecs, names, SLOTS);
  }

  @Override
  public boolean batches() {
    return true;
  }

  @Override
  public synchronized void add(InetSocketAddress to, byte[] bytes, int offset, int length) {
    if (!room(1, length)) return;
    long at = copy(bytes, offset, length);
    name(to, at, length);
  }

  @Override
  public synchronized void addToAll(
      InetSocketAddress[] targets, int exclude, byte[] bytes, int offset, int length) {
    int copies = exclude >= 0 && exclude < targets.length ? targets.length - 1 : targets.length;
    if (copies == 0) return;
    if (copies > SLOTS) { // more targets than one call holds: one copy each
      Outbox.super.addToAll(targets, exclude, bytes, offset, length);
      return;
    }
    if (!room(copies, length)) return;
    long at = copy(bytes, offset, length);
    for (int i = 0; i < targets.length; i++) {
      if (i != exclude) name(targets[i], at, length);
    }
  }

  /**
   * Flushes first if {@code slots} more datagrams of one {@code length}-byte payload do not fit.
   *
   * @return false (counted) if the datagram cannot be queued at all
   */
  private boolean room(int slots, int length) {
    if (closed) {
      for (int i = 0; i < slots; i++) socket.drops.count(MmsgSocket.SOCKET_CLOSED);
      return false;
    }
    if (length > DATA_BYTES) {
      for (int i = 0; i < slots; i++) socket.drops.count("send: error");
      return false;
    }
    if (count + slots > SLOTS || used + length > DATA_BYTES) flushQueued();
    return true;
  }

  /** Copies a payload into the data area; returns its offset there. */
  private long copy(byte[] bytes, int offset, int length) {
    assert used + length <= DATA_BYTES : "room() made room first";
    long at = used;
    MemorySegment.copy(bytes, offset, data, JAVA_BYTE, at, length);
    used += length;
    return at;
  }

  /** Queues one datagram: the payload at {@code at} to {@code to}. */
  private void name(InetSocketAddress to, long at, int length) {
    assert count < SLOTS && at + length <= used : "room() made room first";
    int nameLength = SockAddrs.write(names, (long) count * SockAddrs.STRIDE, to, socket.ipv6());
    if (nameLength < 0) {
      socket.drops.count(UNREACHABLE);
      return;
    }
    headers.set(JAVA_INT, count * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_NAMELEN, nameLength);
    MmsgLayouts.setBuffer(iovecs, count, data, at, length);
    count++;
  }

  @Override
  public synchronized void flush() {
    if (!closed) flushQueued();
  }

  private void flushQueued() {
    if (count > 0) socket.sendBatch(errno, headers, count);
    count = 0;
    used = 0;
  }

  /** Drops what is queued (the socket is closing) and frees the native memory. Idempotent. */
  synchronized void close() {
    if (closed) return;
    for (int i = 0; i < count; i++) socket.drops.count(MmsgSocket.SOCKET_CLOSED);
    closed = true;
    count = 0;
    arena.close();
  }
}
