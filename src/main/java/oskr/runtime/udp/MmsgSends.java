package oskr.runtime.udp;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's {@code sendmmsg} loop and its counters, for the replica-side {@link MmsgSocket} and
 * the clients' {@link SharedClientSocket}: what the kernel refuses is counted as single sends count
 * it.
 */
final class MmsgSends {
  private static final Logger log = LoggerFactory.getLogger(MmsgSends.class);

  final LongAdder calls = new LongAdder();
  final LongAdder messages = new LongAdder();
  final LongAdder datagrams = new LongAdder();
  private final MmsgCalls mmsg;
  private final int fd;
  private final DropCounters drops;
  private final InetSocketAddress localAddress;
  private final IntConsumer segmentRefused;

  /**
   * @param segmentRefused told the errno when the kernel refuses a segmented message (a route whose
   *     MTU is below its segment size, say)
   */
  MmsgSends(
      MmsgCalls mmsg,
      int fd,
      DropCounters drops,
      InetSocketAddress localAddress,
      IntConsumer segmentRefused) {
    this.mmsg = mmsg;
    this.fd = fd;
    this.drops = drops;
    this.localAddress = localAddress;
    this.segmentRefused = segmentRefused;
  }

  /**
   * Sends the first {@code count} messages of {@code headers} with as few {@code sendmmsg} calls as
   * the kernel allows: a full socket buffer drops the rest, another error drops the one message it
   * names. Message {@code i} carries {@code segments[i]} datagrams (more than one when segmented);
   * drops and the datagram counter count datagrams.
   */
  void sendAll(MemorySegment errno, MemorySegment headers, int[] segments, int count) {
    assert count > 0 && count * MmsgLayouts.MMSGHDR_SIZE <= headers.byteSize() : count;
    int sent = 0;
    while (sent < count) {
      MemorySegment rest = headers.asSlice(sent * MmsgLayouts.MMSGHDR_SIZE);
      int done = mmsg.sendmmsg(errno, fd, rest, count - sent);
      if (done > 0) {
        calls.increment();
        messages.add(done);
        datagrams.add(datagrams(segments, sent, sent + done));
        sent += done;
        continue;
      }
      int error = done < 0 ? MmsgCalls.errno(errno) : 0;
      if (error == MmsgCalls.EINTR) continue;
      if (error == MmsgCalls.EAGAIN) {
        drops.count("send: socket buffer full", datagrams(segments, sent, count));
        return;
      }
      drops.count("send: error", segments[sent]);
      log.debug("{}: sendmmsg failed, errno {}", localAddress, error);
      if (segments[sent] > 1) segmentRefused.accept(error);
      sent++; // the kernel stopped at this message: skip it, send the rest
    }
  }

  /** The datagrams of messages {@code from} (inclusive) to {@code to} (exclusive). */
  static int datagrams(int[] segments, int from, int to) {
    int datagrams = 0;
    for (int i = from; i < to; i++) datagrams += segments[i];
    return datagrams;
  }
}
