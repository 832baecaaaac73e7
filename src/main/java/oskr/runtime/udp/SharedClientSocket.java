package oskr.runtime.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket for many closed-loop clients of one loop (the load generator of issue 17). The
 * clients share the socket's address and are told apart by a tag in front of each datagram ({@link
 * Tags}): a client's requests carry its index as their tag, a replica's runtime names the sender by
 * address and tag and tags its replies the same way, and a reply goes to the client its tag names.
 * The datagrams of many clients thus share source, destination and (for one workload) size, which
 * is what segmentation offload needs ({@link Transport#GSO}: the requests of a loop's turn to one
 * replica leave as one message). Works across hosts: the address is the socket's own.
 *
 * <p>Reads take up to {@link MmsgReceiveBatch#SLOTS} datagrams per {@code recvmmsg}; sends are
 * queued in one outbox ({@link MmsgOutbox}) and leave with one {@code sendmmsg} when the loop
 * flushes ({@link #flush}, before it blocks) or the queue is full. Reads and closing run on the
 * loop thread; sends are synchronized by the outbox.
 */
public final class SharedClientSocket extends MmsgSocket {
  private static final Logger log = LoggerFactory.getLogger(SharedClientSocket.class);

  /** Tags are u32 with the high bit clear. */
  public static final int MAX_MEMBERS = Integer.MAX_VALUE;

  static final String UNTAGGED = "receive: untagged datagram on a shared client socket";
  static final String NO_MEMBER = "receive: no client of the datagram's tag";
  static final String NOT_A_MEMBER = "send: shared socket without a client tag";

  private final Outbox queue;

  /**
   * By index; grown by doubling under the lock and republished after every change, so the loop
   * reads it without a lock.
   */
  private volatile Member[] members = new Member[0];

  SharedClientSocket(
      DatagramChannel channel,
      DropCounters drops,
      ByteBuffer receiveBuffer,
      MmsgCalls calls,
      int fd,
      Supplier<MmsgReceiveBatch> receiveBatch,
      boolean offload)
      throws IOException {
    super(
        channel,
        (from, data) -> drops.count(NO_MEMBER),
        drops,
        receiveBuffer,
        calls,
        fd,
        receiveBatch,
        offload);
    this.queue = newOutbox();
  }

  /**
   * The socket of client {@code index}: it sends from this socket's address with tag {@code index},
   * and the datagrams tagged {@code index} go to {@code receiver} on the loop thread.
   */
  public UdpSocket member(int index, Receiver receiver) {
    if (index < 0) throw new IllegalArgumentException("member index out of range: " + index);
    Member member = new Member(this, index, receiver);
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

  /** Hands the datagram, its tag read off, to the client the tag names. */
  @Override
  void deliver(InetSocketAddress from, MmsgReceiveBatch batch, int slot, int offset, int length) {
    if (length == 0 || batch.u8(slot, offset) != Tags.MARKER) {
      drops.count(UNTAGGED);
      return;
    }
    int tag = length > Tags.HEADER_LENGTH ? batch.u32(slot, offset + 1) : Tags.NONE;
    if (tag < 0) {
      drops.count(Tags.MALFORMED);
      return;
    }
    Member[] known = members;
    Member member = tag < known.length ? known[tag] : null;
    if (member == null) {
      drops.count(NO_MEMBER);
      return;
    }
    byte[] data =
        batch.copy(slot, offset + Tags.HEADER_LENGTH, length - Tags.HEADER_LENGTH); // one copy
    try {
      member.receiver.onDatagram(from, data);
    } catch (RuntimeException | AssertionError e) {
      log.error("{}: client {}'s receiver failed", localAddress(), tag, e);
    }
  }

  /** Hands the queued datagrams to the kernel; failures are counted as single sends count them. */
  public void flush() {
    queue.flush();
  }

  /** Only members send: the socket itself has no client tag. */
  @Override
  public void send(InetSocketAddress to, byte[] data, int offset, int length) {
    drops.count(NOT_A_MEMBER);
  }

  /** One client's view of the shared socket. */
  private static final class Member implements UdpSocket {
    private final SharedClientSocket shared;
    private final int tag;
    private final Receiver receiver;

    Member(SharedClientSocket shared, int tag, Receiver receiver) {
      this.shared = shared;
      this.tag = tag;
      this.receiver = receiver;
    }

    @Override
    public InetSocketAddress localAddress() {
      return shared.localAddress();
    }

    @Override
    public int tag() {
      return tag;
    }

    /** Queued: it leaves with the loop's next flush, batched with the other clients' sends. */
    @Override
    public void send(InetSocketAddress to, byte[] data, int offset, int length) {
      shared.queue.addTagged(to, tag, data, offset, length);
    }

    @Override
    public java.util.Optional<MmsgStats> mmsgStats() {
      return shared.mmsgStats();
    }
  }
}
