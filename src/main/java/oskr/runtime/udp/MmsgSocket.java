package oskr.runtime.udp;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A NIO channel whose reads and batched sends go through {@code recvmmsg} and {@code sendmmsg} on
 * its descriptor ({@link SocketFd}). The channel keeps everything else: options, binding, the
 * selector that reports it readable, single sends ({@link #send}) and closing.
 *
 * <p>The descriptor is used only while the channel is open: a sender announces itself ({@link
 * #sending}) before its call and {@link #close} waits for none to remain before the channel closes,
 * so a call never reaches a descriptor number the process has reused. Reads run on the loop thread,
 * which also closes.
 *
 * <p>With segmentation offload ({@link Transport#GSO}) the socket asks the kernel for {@code
 * UDP_SEGMENT} (its outboxes send runs of datagrams to one target as one message, {@link
 * MmsgOutbox}) and {@code UDP_GRO} (the kernel hands over such a run, or datagrams of one sender it
 * coalesced itself, as one buffer, which the socket splits again). A kernel that refuses either is
 * said in one line; the socket then runs without it.
 */
class MmsgSocket extends NioSocket {
  private static final Logger log = LoggerFactory.getLogger(MmsgSocket.class);

  static final String SOCKET_CLOSED = "send: socket closed";

  private static final Consumer<String> OFFLOAD_REFUSED = MmsgCalls.once(log::warn);

  private final MmsgCalls calls;
  final int fd; // package-private: tests set options on it
  private final boolean ipv6;
  private volatile boolean gso;
  private final Supplier<MmsgReceiveBatch> receiveBatch; // the loop's, made on first use
  private final SockAddrs.Cache senders = new SockAddrs.Cache(); // loop thread only
  private final AtomicInteger sending = new AtomicInteger();
  private final List<MmsgOutbox> outboxes = new ArrayList<>(); // guarded by itself
  private volatile boolean closed;

  /** System calls and datagrams, for tests and reports. */
  final LongAdder receiveCalls = new LongAdder();

  final LongAdder receivedMessages = new LongAdder();
  final LongAdder receivedDatagrams = new LongAdder();
  final MmsgSends sends;

  MmsgSocket(
      DatagramChannel channel,
      Receiver receiver,
      DropCounters drops,
      ByteBuffer receiveBuffer,
      MmsgCalls calls,
      int fd,
      Supplier<MmsgReceiveBatch> receiveBatch,
      boolean offload)
      throws java.io.IOException {
    super(channel, receiver, drops, receiveBuffer);
    this.calls = calls;
    this.fd = fd;
    this.ipv6 = localAddress().getAddress() instanceof Inet6Address;
    this.receiveBatch = receiveBatch;
    this.sends = new MmsgSends(calls, fd, drops, localAddress(), this::segmentRefused);
    this.gso = offload && offload(MmsgCalls.UDP_SEGMENT, 0, "UDP_SEGMENT");
    if (offload) offload(MmsgCalls.UDP_GRO, 1, "UDP_GRO");
  }

  /** Sets a UDP option of segmentation offload; a refusal is said once per process. */
  private boolean offload(int option, int value, String name) {
    int errno = calls.setIntOption(fd, MmsgCalls.SOL_UDP, option, value);
    if (errno == 0) return true;
    OFFLOAD_REFUSED.accept(
        "the kernel refuses " + name + " (errno " + errno + "): sockets run without it");
    return false;
  }

  MmsgCalls calls() {
    return calls;
  }

  boolean ipv6() {
    return ipv6;
  }

  /**
   * The kernel refused a segmented message (its datagrams were counted as send errors): from now on
   * this socket sends datagrams one per message, and says so once.
   */
  private void segmentRefused(int errno) {
    if (!gso) return;
    gso = false;
    log.warn(
        "{}: a segmented send was refused (errno {}): datagrams leave one per message from now on",
        localAddress(),
        errno);
  }

  /** Whether outboxes may send runs of datagrams as one segmented message. */
  boolean gso() {
    return gso;
  }

  /**
   * Reads up to {@code budget} datagrams, {@link MmsgReceiveBatch#SLOTS} per call, and hands each
   * to the receiver as the NIO socket does; stops early when the socket is drained.
   */
  @Override
  void readReady(int budget) {
    MmsgReceiveBatch batch = receiveBatch.get();
    int read = 0;
    try {
      while (read < budget) {
        int want = Math.min(MmsgReceiveBatch.SLOTS, budget - read);
        batch.prepare(want);
        int got = calls.recvmmsg(batch.errno, fd, batch.headers, want);
        if (got < 0) {
          int errno = MmsgCalls.errno(batch.errno);
          if (errno == MmsgCalls.EINTR) continue;
          if (errno != MmsgCalls.EAGAIN) {
            drops.count("receive: error");
            log.debug("{}: recvmmsg failed, errno {}", localAddress(), errno);
          }
          return;
        }
        receiveCalls.increment();
        receivedMessages.add(got);
        for (int i = 0; i < got; i++) {
          InetSocketAddress from = batch.sender(i, senders);
          int length = batch.length(i);
          int size = Math.max(1, batch.segmentSize(i));
          int offset = 0;
          do { // once for a datagram of its own, once per segment of a coalesced run
            int segment = Math.min(size, length - offset);
            read++;
            receivedDatagrams.increment();
            if (from == null) {
              drops.count("receive: no sender address");
            } else {
              deliver(from, batch, i, offset, segment);
            }
            offset += segment;
          } while (offset < length);
        }
        if (got < want) return; // drained: the selector reports the socket when more arrive
      }
    } finally {
      if (read > 0) receiver.onBatchEnd();
    }
  }

  /**
   * One datagram, {@code length} bytes of slot {@code slot} from {@code offset}: copied out and
   * handed to the receiver. A receiver's exception loses this datagram only, not the rest.
   */
  void deliver(InetSocketAddress from, MmsgReceiveBatch batch, int slot, int offset, int length) {
    byte[] data = batch.copy(slot, offset, length);
    try {
      receiver.onDatagram(from, data);
    } catch (RuntimeException | AssertionError e) {
      log.error("{}: a receiver failed", localAddress(), e);
    }
  }

  @Override
  public Optional<MmsgStats> mmsgStats() {
    return Optional.of(
        new MmsgStats(
            receiveCalls.sum(),
            receivedMessages.sum(),
            receivedDatagrams.sum(),
            sends.calls.sum(),
            sends.messages.sum(),
            sends.datagrams.sum()));
  }

  /** A batched outbox of this socket; closed with it. */
  @Override
  public Outbox newOutbox() {
    MmsgOutbox outbox = new MmsgOutbox(this);
    synchronized (outboxes) {
      if (closed) {
        outbox.close();
      } else {
        outboxes.add(outbox);
      }
    }
    return outbox;
  }

  /**
   * Sends the first {@code count} messages of {@code headers} ({@code segments[i]} datagrams in
   * message {@code i}) with as few {@code sendmmsg} calls as the kernel allows, counting what it
   * refuses as single sends count it: a full socket buffer drops the rest, another error drops the
   * one message it names.
   */
  void sendBatch(MemorySegment errno, MemorySegment headers, int[] segments, int count) {
    sending.incrementAndGet();
    try {
      if (closed) {
        drops.count(SOCKET_CLOSED, MmsgSends.datagrams(segments, 0, count));
        return;
      }
      sends.sendAll(errno, headers, segments, count);
    } finally {
      sending.decrementAndGet();
    }
  }

  /** Stops the batched calls, waits for those under way, closes the outboxes, then the channel. */
  @Override
  void close() {
    closed = true;
    while (sending.get() != 0) Thread.onSpinWait(); // a sendmmsg takes microseconds
    List<MmsgOutbox> open;
    synchronized (outboxes) {
      open = List.copyOf(outboxes);
      outboxes.clear();
    }
    for (MmsgOutbox outbox : open) outbox.close();
    super.close();
  }
}
