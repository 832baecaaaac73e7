package oskr.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import oskr.core.Address;
import oskr.protocol.Frames;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.Outbox;
import oskr.runtime.udp.Receiver;
import oskr.runtime.udp.Tags;
import oskr.runtime.udp.Transport;
import oskr.runtime.udp.UdpLoop;
import oskr.runtime.udp.UdpSocket;

/**
 * The raw limit of {@code oskr bench -m udp-echo}: a UDP server on the replicas' transport code
 * that turns each Unreplicated Request frame into the matching empty Reply frame by byte
 * manipulation only (no decoding, no protocol, no stage), on its single loop thread. Plain
 * Unreplicated clients against it measure the transport and the client loop alone.
 *
 * <pre>
 * Request: [version][protocol id][tag = 1][clientId i64][requestNumber u64][op length u32][op]
 * Reply:   [version][protocol id][tag = 2][clientId i64][requestNumber u64][u32 0][u64 0][u32 0]
 * </pre>
 */
public final class EchoServer implements AutoCloseable {
  static final String NOT_A_REQUEST = "echo: not a request frame";
  private static final int REQUEST_TAG = 1;
  private static final int REPLY_TAG = 2;

  /** Header, tag, client id and request number: the bytes a reply copies from its request. */
  private static final int ECHOED_PREFIX = Frames.HEADER_LENGTH + 1 + 8 + 8;

  private static final int REQUEST_MIN = ECHOED_PREFIX + 4;

  /** Then an empty result, retryFrom 0 (not a refusal) and an empty signature. */
  private static final int REPLY_LENGTH = ECHOED_PREFIX + 4 + 8 + 4;

  private final UdpLoop loop;
  private final DropCounters drops = new DropCounters();
  private final LongAdder echoed = new LongAdder();
  private final Address address;

  private EchoServer(Address address, Transport transport) throws IOException {
    InetSocketAddress bind = new InetSocketAddress(address.host(), address.port());
    if (bind.isUnresolved()) throw new IOException("cannot resolve echo server host " + address);
    this.loop = transport.newLoop("oskr-echo", () -> {});
    try {
      Reflector reflector = new Reflector();
      UdpSocket socket = loop.open(bind, reflector, true, drops);
      reflector.outbox = socket.newOutbox();
      this.address = new Address(address.host(), socket.localAddress().getPort());
    } catch (IOException | RuntimeException e) {
      loop.close();
      throw e;
    }
  }

  /**
   * Binds {@code address} (port 0 picks a free port, see {@link #address()}) and starts echoing.
   *
   * @throws IOException if the port is in use or the address is not local
   */
  public static EchoServer start(Address address) throws IOException {
    return start(address, Transport.DEFAULT);
  }

  public static EchoServer start(Address address, Transport transport) throws IOException {
    return new EchoServer(address, transport);
  }

  /** The bound address (with the actual port when started on port 0). */
  public Address address() {
    return address;
  }

  /** Requests answered so far. */
  public long echoed() {
    return echoed.sum();
  }

  /** Datagrams that were not Request frames, by reason. */
  public Map<String, Long> drops() {
    return drops.snapshot();
  }

  /** CPU time used so far by the server's loop thread, in ns. */
  public long cpuNanos() {
    return ProcessCpu.threadsCpuNanos(List.of(loop.thread()));
  }

  /** Stops the loop and closes the socket; returns once the thread has ended. */
  @Override
  public void close() {
    loop.close();
  }

  /**
   * Runs on the loop thread; the reply scratch is reused because sending copies it. Replies go
   * through the socket's outbox: on the mmsg transport the replies to one batch of reads leave in
   * one sendmmsg at its end, elsewhere each at once.
   */
  private final class Reflector implements Receiver {
    private final byte[] reply = new byte[REPLY_LENGTH];
    private volatile Outbox outbox; // set right after the bind

    @Override
    public void onBatchEnd() {
      Outbox outbox = this.outbox;
      if (outbox != null) outbox.flush();
    }

    @Override
    public void onDatagram(InetSocketAddress from, byte[] request) {
      Outbox outbox = this.outbox;
      // A client behind a shared socket tags its request; the reply carries the tag back.
      boolean tagged = Tags.isTagged(request);
      int tag = tagged ? Tags.tag(request) : Tags.NONE;
      int at = tagged ? Tags.HEADER_LENGTH : 0;
      if (outbox == null || (tagged && tag == Tags.NONE) || !isRequest(request, at)) {
        drops.count(NOT_A_REQUEST);
        return;
      }
      System.arraycopy(request, at, reply, 0, ECHOED_PREFIX);
      reply[Frames.HEADER_LENGTH] = REPLY_TAG;
      Arrays.fill(reply, ECHOED_PREFIX, REPLY_LENGTH, (byte) 0); // see REPLY_LENGTH
      if (tag == Tags.NONE) {
        outbox.add(from, reply, 0, REPLY_LENGTH);
      } else {
        outbox.addTagged(from, tag, reply, 0, REPLY_LENGTH);
      }
      echoed.increment();
    }

    /** Whether {@code datagram} from {@code at} is a Request frame. */
    private static boolean isRequest(byte[] datagram, int at) {
      if (datagram.length - at < REQUEST_MIN || datagram[at] != Frames.VERSION) return false;
      if (datagram[at + Frames.HEADER_LENGTH] != REQUEST_TAG) return false;
      int length = at + ECHOED_PREFIX;
      int opLength =
          ((datagram[length] & 0xff) << 24)
              | ((datagram[length + 1] & 0xff) << 16)
              | ((datagram[length + 2] & 0xff) << 8)
              | (datagram[length + 3] & 0xff);
      return opLength == datagram.length - at - REQUEST_MIN;
    }
  }
}
