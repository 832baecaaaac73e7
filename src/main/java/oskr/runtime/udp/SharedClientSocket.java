package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket for many closed-loop clients of one loop (the load generator of issue 17). Each
 * client ({@link #member}) keeps an address of its own, 127.2.0.1 + its index on the socket's port,
 * because replicas reply to the address a request came from: the socket is bound to the IPv4
 * wildcard address, a send names its client's address as the source with an {@code IP_PKTINFO}
 * control message ({@code ipi_spec_dst}), and a received datagram goes to the client whose address
 * the kernel reports as its destination ({@code IP_PKTINFO}'s {@code ipi_addr}). Loopback only: the
 * whole 127.0.0.0/8 is local on Linux, so any such source is valid.
 *
 * <p>Reads take up to {@link #SLOTS} datagrams per {@code recvmmsg}; sends are queued in native
 * memory and leave with one {@code sendmmsg} when the loop flushes ({@link #flush}, before it
 * blocks) or the queue is full. Reads and closing run on the loop thread; sends are synchronized.
 */
public final class SharedClientSocket extends NioSocket {
  private static final Logger log = LoggerFactory.getLogger(SharedClientSocket.class);

  /** Datagrams one call may read or send. */
  static final int SLOTS = 64;

  /** Per received datagram: larger than any UDP payload, so nothing is truncated. */
  static final int SLOT_BYTES = NioSocket.RECEIVE_BUFFER_BYTES;

  /** Payload room of the send queue: four full fragments, or a few thousand small requests. */
  static final int SEND_BYTES = 256 << 10;

  /** 127.2.0.1, the address of member 0. */
  static final int FIRST_MEMBER = 0x7F020001;

  /** Members up to 127.255.255.254. */
  public static final int MAX_MEMBERS = 0x7FFFFFFE - FIRST_MEMBER + 1;

  static final String NO_SENDER = "receive: no sender address";
  static final String NO_DESTINATION = "receive: no destination address";
  static final String NO_MEMBER = "receive: no client at the destination address";
  static final String NOT_A_MEMBER = "send: shared socket without a client address";

  // struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; } then struct in_pktinfo
  // { int ipi_ifindex; struct in_addr ipi_spec_dst; struct in_addr ipi_addr; }
  private static final int CMSG_HEADER = 16;
  private static final int PKTINFO_LEN = CMSG_HEADER + 12; // CMSG_LEN(sizeof(in_pktinfo))
  private static final int PKTINFO_SPACE = 32; // CMSG_SPACE(sizeof(in_pktinfo))
  private static final int SPEC_DST = CMSG_HEADER + 4;
  private static final int HEADER_DST = CMSG_HEADER + 8;
  private static final int RECEIVE_CONTROL = 64; // room for IP_PKTINFO and one more message
  private static final ValueLayout.OfInt IPV4 = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);

  private final MmsgCalls calls;
  private final int fd;
  private final int port;
  private final Arena arena = Arena.ofShared(); // reads on the loop, sends under the lock
  private final SockAddrs.Cache senders = new SockAddrs.Cache(); // loop thread only

  private final MemorySegment readHeaders = allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE);
  private final MemorySegment readIovecs = allocate(SLOTS * MmsgLayouts.IOVEC_SIZE);
  private final MemorySegment readNames = allocate((long) SLOTS * SockAddrs.STRIDE);
  private final MemorySegment readControls = allocate((long) SLOTS * RECEIVE_CONTROL);
  private final MemorySegment readBuffers = allocate((long) SLOTS * SLOT_BYTES);
  private final MemorySegment readErrno = MmsgCalls.newErrnoSegment(arena);

  private final MemorySegment sendHeaders = allocate(SLOTS * MmsgLayouts.MMSGHDR_SIZE);
  private final MemorySegment sendIovecs = allocate(SLOTS * MmsgLayouts.IOVEC_SIZE);
  private final MemorySegment sendNames = allocate((long) SLOTS * SockAddrs.STRIDE);
  private final MemorySegment sendControls = allocate((long) SLOTS * PKTINFO_SPACE);
  private final MemorySegment sendData = allocate(SEND_BYTES);
  private final MemorySegment sendErrno = MmsgCalls.newErrnoSegment(arena);
  private int queued; // guarded by this
  private InetSocketAddress lastTarget; // guarded by this; its name is written in lastTargetSlot
  private int lastTargetSlot;
  private int lastTargetLength;
  private long queuedBytes; // guarded by this
  private boolean closed; // guarded by this

  /**
   * By index; grown by doubling under the lock and republished after every change, so the loop
   * reads it without a lock.
   */
  private volatile Member[] members = new Member[0];

  final LongAdder receiveCalls = new LongAdder();
  final LongAdder receivedDatagrams = new LongAdder();
  final MmsgSends sends;

  private SharedClientSocket(
      DatagramChannel channel,
      DropCounters drops,
      ByteBuffer receiveBuffer,
      MmsgCalls calls,
      int fd)
      throws IOException {
    super(channel, (from, data) -> drops.count(NO_MEMBER), drops, receiveBuffer);
    this.calls = calls;
    this.fd = fd;
    this.port = localAddress().getPort();
    this.sends = new MmsgSends(calls, fd, drops, localAddress());
    MmsgLayouts.link(readHeaders, readIovecs, readNames, SLOTS);
    MmsgLayouts.link(sendHeaders, sendIovecs, sendNames, SLOTS);
    for (int i = 0; i < SLOTS; i++) {
      MmsgLayouts.setBuffer(readIovecs, i, readBuffers, (long) i * SLOT_BYTES, SLOT_BYTES);
      long header = i * MmsgLayouts.MMSGHDR_SIZE;
      readHeaders.set(
          JAVA_LONG,
          header + MmsgLayouts.MSG_CONTROL,
          readControls.address() + i * RECEIVE_CONTROL);
      long control = (long) i * PKTINFO_SPACE;
      sendControls.set(JAVA_LONG, control, PKTINFO_LEN);
      sendControls.set(JAVA_INT, control + 8, MmsgCalls.IPPROTO_IP);
      sendControls.set(JAVA_INT, control + 12, MmsgCalls.IP_PKTINFO);
      sendHeaders.set(
          JAVA_LONG, header + MmsgLayouts.MSG_CONTROL, sendControls.address() + control);
      sendHeaders.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN, PKTINFO_SPACE);
    }
  }

  private MemorySegment allocate(long bytes) {
    return arena.allocate(bytes, 8); // zeroed
  }

  /**
   * A shared socket on {@code channel} (bound to the IPv4 wildcard address, non-blocking) whose
   * descriptor is {@code fd}; asks the kernel for each datagram's destination.
   *
   * @throws IOException if the kernel refuses IP_PKTINFO
   */
  static SharedClientSocket open(
      DatagramChannel channel,
      DropCounters drops,
      ByteBuffer receiveBuffer,
      MmsgCalls calls,
      int fd)
      throws IOException {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment one = scratch.allocate(JAVA_INT);
      one.set(JAVA_INT, 0, 1);
      MemorySegment errno = MmsgCalls.newErrnoSegment(scratch);
      int result = calls.setsockopt(errno, fd, MmsgCalls.IPPROTO_IP, MmsgCalls.IP_PKTINFO, one, 4);
      if (result != 0) {
        throw new IOException("setsockopt IP_PKTINFO failed, errno " + MmsgCalls.errno(errno));
      }
    }
    return new SharedClientSocket(channel, drops, receiveBuffer, calls, fd);
  }

  /** The address of member {@code index}: 127.2.0.1 + index, on loopback. */
  public static InetAddress memberAddress(int index) {
    if (index < 0 || index >= MAX_MEMBERS) {
      throw new IllegalArgumentException("member index out of range: " + index);
    }
    int ip = FIRST_MEMBER + index;
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip});
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }

  /**
   * The socket of client {@code index}: it sends from {@link #memberAddress}, on this socket's
   * port, and its datagrams go to {@code receiver} on the loop thread.
   */
  public UdpSocket member(int index, Receiver receiver) {
    Member member =
        new Member(
            this,
            FIRST_MEMBER + index,
            new InetSocketAddress(memberAddress(index), port),
            receiver);
    synchronized (this) {
      Member[] grown =
          index < members.length
              ? members
              : Arrays.copyOf(members, Math.max(index + 1, 2 * members.length));
      if (grown[index] != null) throw new IllegalArgumentException("member " + index + " exists");
      grown[index] = member;
      members = grown; // a volatile write after the store: the loop's next read sees the member
    }
    return member;
  }

  /** Reads up to {@code budget} datagrams and hands each to the client it was sent to. */
  @Override
  void readReady(int budget) {
    int read = 0;
    while (read < budget) {
      int want = Math.min(SLOTS, budget - read);
      for (int i = 0; i < want; i++) { // the kernel overwrites both lengths
        long header = i * MmsgLayouts.MMSGHDR_SIZE;
        readHeaders.set(JAVA_INT, header + MmsgLayouts.MSG_NAMELEN, SockAddrs.STRIDE);
        readHeaders.set(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN, RECEIVE_CONTROL);
      }
      int got = calls.recvmmsg(readErrno, fd, readHeaders, want);
      if (got < 0) {
        int errno = MmsgCalls.errno(readErrno);
        if (errno == MmsgCalls.EINTR) continue;
        if (errno != MmsgCalls.EAGAIN) {
          drops.count("receive: error");
          log.debug("{}: recvmmsg failed, errno {}", localAddress(), errno);
        }
        return;
      }
      receiveCalls.increment();
      receivedDatagrams.add(got);
      Member[] known = members;
      for (int i = 0; i < got; i++) {
        read++;
        deliver(known, i);
      }
      if (got < want) return; // drained: the selector reports the socket when more arrive
    }
  }

  private void deliver(Member[] known, int i) {
    long header = i * MmsgLayouts.MMSGHDR_SIZE;
    InetSocketAddress from =
        senders.read(
            readNames,
            (long) i * SockAddrs.STRIDE,
            readHeaders.get(JAVA_INT, header + MmsgLayouts.MSG_NAMELEN));
    if (from == null) {
      drops.count(NO_SENDER);
      return;
    }
    int destination =
        destination(i, readHeaders.get(JAVA_LONG, header + MmsgLayouts.MSG_CONTROLLEN));
    if (destination == 0) {
      drops.count(NO_DESTINATION);
      return;
    }
    long index = (destination & 0xffffffffL) - FIRST_MEMBER;
    Member member = index >= 0 && index < known.length ? known[(int) index] : null;
    if (member == null) {
      drops.count(NO_MEMBER);
      return;
    }
    int length = readHeaders.get(JAVA_INT, header + MmsgLayouts.MSG_LEN);
    byte[] data = new byte[length];
    MemorySegment.copy(readBuffers, JAVA_BYTE, (long) i * SLOT_BYTES, data, 0, length);
    try {
      member.receiver.onDatagram(from, data);
    } catch (RuntimeException | AssertionError e) {
      log.error("{}: a receiver failed", member.address, e);
    }
  }

  /** The header destination of datagram {@code i} from its IP_PKTINFO message, or 0. */
  private int destination(int i, long controlLength) {
    long base = (long) i * RECEIVE_CONTROL;
    long at = 0;
    while (at + CMSG_HEADER <= Math.min(controlLength, RECEIVE_CONTROL)) {
      long length = readControls.get(JAVA_LONG, base + at);
      if (length < CMSG_HEADER || at + length > RECEIVE_CONTROL) return 0;
      if (readControls.get(JAVA_INT, base + at + 8) == MmsgCalls.IPPROTO_IP
          && readControls.get(JAVA_INT, base + at + 12) == MmsgCalls.IP_PKTINFO
          && length >= PKTINFO_LEN) {
        return readControls.get(IPV4, base + at + HEADER_DST);
      }
      at += (length + 7) & ~7L;
    }
    return 0;
  }

  /** Queues one datagram from a member; flushes first if the queue is full. */
  private synchronized void queue(
      int source, InetSocketAddress to, byte[] bytes, int offset, int length) {
    if (closed) {
      drops.count(MmsgSocket.SOCKET_CLOSED);
      return;
    }
    if (length > SEND_BYTES) { // a caller's bug: datagrams are at most 64 KiB
      drops.count("send: error");
      return;
    }
    if (queued == SLOTS || queuedBytes + length > SEND_BYTES) flushQueued();
    int nameLength = writeName(to);
    if (nameLength < 0) {
      drops.count(MmsgOutbox.UNREACHABLE);
      return;
    }
    sendHeaders.set(
        JAVA_INT, queued * MmsgLayouts.MMSGHDR_SIZE + MmsgLayouts.MSG_NAMELEN, nameLength);
    MemorySegment.copy(bytes, offset, sendData, JAVA_BYTE, queuedBytes, length);
    MmsgLayouts.setBuffer(sendIovecs, queued, sendData, queuedBytes, length);
    sendControls.set(IPV4, (long) queued * PKTINFO_SPACE + SPEC_DST, source);
    queuedBytes += length;
    queued++;
  }

  /**
   * Writes {@code to} into the name of slot {@code queued}: copied from the slot that holds it if
   * it is the last target (clients send to the same replicas again and again), else encoded.
   */
  private int writeName(InetSocketAddress to) {
    long offset = (long) queued * SockAddrs.STRIDE;
    if (to == lastTarget) {
      if (lastTargetSlot != queued) {
        MemorySegment.copy(
            sendNames,
            (long) lastTargetSlot * SockAddrs.STRIDE,
            sendNames,
            offset,
            SockAddrs.STRIDE);
        lastTargetSlot = queued;
      }
      return lastTargetLength;
    }
    int length = SockAddrs.write(sendNames, offset, to, false);
    if (length < 0) return length;
    lastTarget = to;
    lastTargetSlot = queued;
    lastTargetLength = length;
    return length;
  }

  /** Hands the queued datagrams to the kernel; failures are counted as single sends count them. */
  public synchronized void flush() {
    if (!closed) flushQueued();
  }

  private void flushQueued() {
    if (queued > 0) sends.sendAll(sendErrno, sendHeaders, queued);
    queued = 0;
    queuedBytes = 0;
  }

  /** Only members send: the socket itself has no client address to send from. */
  @Override
  public void send(InetSocketAddress to, byte[] data, int offset, int length) {
    drops.count(NOT_A_MEMBER);
  }

  @Override
  public Optional<MmsgStats> mmsgStats() {
    return Optional.of(
        new MmsgStats(
            receiveCalls.sum(), receivedDatagrams.sum(), sends.calls.sum(), sends.datagrams.sum()));
  }

  /** Drops what is queued, closes the channel and frees the native memory; on the loop thread. */
  @Override
  synchronized void close() {
    if (closed) return;
    closed = true;
    for (int i = 0; i < queued; i++) drops.count(MmsgSocket.SOCKET_CLOSED);
    queued = 0;
    super.close();
    arena.close();
  }

  /** One client's view of the shared socket. */
  private static final class Member implements UdpSocket {
    private final SharedClientSocket shared;
    private final int source;
    private final InetSocketAddress address;
    private final Receiver receiver;

    Member(SharedClientSocket shared, int source, InetSocketAddress address, Receiver receiver) {
      this.shared = shared;
      this.source = source;
      this.address = address;
      this.receiver = receiver;
    }

    @Override
    public InetSocketAddress localAddress() {
      return address;
    }

    /** Queued: it leaves with the loop's next flush, batched with the other clients' sends. */
    @Override
    public void send(InetSocketAddress to, byte[] data, int offset, int length) {
      shared.queue(source, to, data, offset, length);
    }

    @Override
    public Optional<MmsgStats> mmsgStats() {
      return shared.mmsgStats();
    }
  }
}
