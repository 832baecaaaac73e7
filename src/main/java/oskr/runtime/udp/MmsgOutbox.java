package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * An outbox of an {@link MmsgSocket}: up to {@link #SLOTS} datagrams (and {@link #DATA_BYTES} of
 * payload) copied into native memory, then sent with one {@code sendmmsg}. A datagram sent to
 * several targets is copied once and named by several headers. Synchronized, so the socket's loop
 * may flush what a node's executor added; closed by the socket.
 *
 * <p>Where the socket has segmentation offload ({@link MmsgSocket#gso()}), a datagram of the same
 * target as the one queued before it, no longer than it, joins it: the run leaves as one message
 * with a {@code UDP_SEGMENT} control message, which the kernel sends as separate datagrams for the
 * price of about one (replies of one batch to one client socket, requests of many clients to one
 * replica). Runs keep the datagrams' order; each run's datagrams but its last have one size.
 */
final class MmsgOutbox implements Outbox {
  static final int SLOTS = 64;

  /** Payload room: four full fragments, or a few hundred small replies. */
  static final int DATA_BYTES = 256 << 10;

  /** Datagrams per segmented message: the kernel's {@code UDP_MAX_SEGMENTS} before Linux 6.4. */
  static final int SEGMENTS_MAX = 64;

  /**
   * Segment size bound: with headers it fits a 1500-byte MTU (IPv6 too), as a segment larger than
   * the route's MTU would be refused; larger datagrams are sent one per message.
   */
  static final int SEGMENT_BYTES_MAX = 1400;

  /** Bytes per segmented message: the UDP length field's bound, with room for headers. */
  static final int RUN_BYTES_MAX = 65_000;

  static final String UNREACHABLE = "send: address family not reachable from this socket";

  // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then a u16 segment size
  private static final int SEGMENT_CONTROL_LEN = 16 + 2; // CMSG_LEN(sizeof(uint16_t))
  private static final int SEGMENT_CONTROL_SPACE = 24; // CMSG_SPACE(sizeof(uint16_t))

  private final MmsgSocket socket;
  private final Arena arena = Arena.ofShared(); // any thread, one at a time (synchronized)
  private final MemorySegment headers = arena.allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE, 8);
  private final MemorySegment iovecs = arena.allocate(SLOTS * MmsgLayouts.IOVEC_SIZE, 8);
  private final MemorySegment names = arena.allocate((long) SLOTS * SockAddrs.STRIDE, 8);
  private final MemorySegment controls = arena.allocate(SLOTS * SEGMENT_CONTROL_SPACE, 8);
  private final MemorySegment data = arena.allocate(DATA_BYTES, 8);
  private final MemorySegment errno = MmsgCalls.newErrnoSegment(arena);
  private final byte[] tagScratch = new byte[Tags.HEADER_LENGTH];
  private final int[] segments = new int[SLOTS]; // datagrams per message
  private int count; // messages queued
  private long used; // payload bytes queued
  private boolean closed;

  // The last message's run: its target, its bytes in data, its segment size, whether it may grow.
  private InetSocketAddress runTarget;
  private long runStart;
  private long runEnd;
  private int runSegment;
  private boolean runOpen;

  MmsgOutbox(MmsgSocket socket) {
    this.socket = socket;
    MmsgLayouts.link(headers, iovecs, names, SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      long control = (long) i * SEGMENT_CONTROL_SPACE;
      controls.set(JAVA_LONG, control, SEGMENT_CONTROL_LEN);
      controls.set(JAVA_INT, control + 8, MmsgCalls.SOL_UDP);
      controls.set(JAVA_INT, control + 12, MmsgCalls.UDP_SEGMENT);
    }
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

  /** The tag and the datagram copied once into native memory, without a tagged array between. */
  @Override
  public synchronized void addTagged(
      InetSocketAddress to, int tag, byte[] bytes, int offset, int length) {
    int total = Tags.HEADER_LENGTH + length;
    if (!room(1, total)) return;
    Tags.write(tagScratch, 0, tag);
    long at = copy(tagScratch, 0, Tags.HEADER_LENGTH);
    copy(bytes, offset, length);
    name(to, at, total);
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
      socket.drops.count(MmsgSocket.SOCKET_CLOSED, slots);
      return false;
    }
    if (length > DATA_BYTES) {
      socket.drops.count("send: error", slots);
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

  /**
   * Queues one datagram: the payload at {@code at} to {@code to}, joining the last run if it can.
   */
  private void name(InetSocketAddress to, long at, int length) {
    assert count < SLOTS && at + length <= used : "room() made room first";
    if (joinsRun(to, at, length)) {
      int last = count - 1;
      segments[last]++;
      runEnd += length;
      runOpen = length == runSegment;
      MmsgLayouts.setBuffer(iovecs, last, data, runStart, runEnd - runStart);
      if (segments[last] == 2) segmentControl(last, runSegment);
      return;
    }
    int nameLength = SockAddrs.write(names, (long) count * SockAddrs.STRIDE, to, socket.ipv6());
    if (nameLength < 0) {
      socket.drops.count(UNREACHABLE);
      return;
    }
    long header = count * MmsgLayouts.MMSGHDR_SIZE;
    headers.set(JAVA_INT, header + MmsgLayouts.MSG_NAMELEN, nameLength);
    headers.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROL, 0L);
    headers.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN, 0L);
    MmsgLayouts.setBuffer(iovecs, count, data, at, length);
    segments[count] = 1;
    runTarget = to;
    runStart = at;
    runEnd = at + length;
    runSegment = length;
    runOpen = true;
    count++;
  }

  private boolean joinsRun(InetSocketAddress to, long at, int length) {
    return count > 0
        && runOpen
        && at == runEnd // contiguous: the datagram was copied right after the run
        && length > 0 // an empty segment would vanish inside the run
        && length <= runSegment
        && runSegment <= SEGMENT_BYTES_MAX
        && segments[count - 1] < SEGMENTS_MAX
        && runEnd - runStart + length <= RUN_BYTES_MAX
        && (to == runTarget || to.equals(runTarget))
        && socket.gso();
  }

  /** Message {@code i} becomes segmented: {@code size}-byte datagrams, the last one shorter. */
  private void segmentControl(int i, int size) {
    long control = (long) i * SEGMENT_CONTROL_SPACE;
    controls.set(JAVA_SHORT, control + 16, (short) size);
    long header = i * MmsgLayouts.MMSGHDR_SIZE;
    headers.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROL, controls.address() + control);
    headers.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN, SEGMENT_CONTROL_SPACE);
  }

  @Override
  public synchronized void flush() {
    if (!closed) flushQueued();
  }

  private void flushQueued() {
    if (count > 0) socket.sendBatch(errno, headers, segments, count);
    count = 0;
    used = 0;
    runTarget = null;
    runOpen = false;
  }

  /** Drops what is queued (the socket is closing) and frees the native memory. Idempotent. */
  synchronized void close() {
    if (closed) return;
    socket.drops.count(MmsgSocket.SOCKET_CLOSED, MmsgSends.datagrams(segments, 0, count));
    closed = true;
    count = 0;
    arena.close();
  }
}
