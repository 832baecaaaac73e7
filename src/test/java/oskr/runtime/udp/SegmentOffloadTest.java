package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * UDP segmentation offload on loopback ({@link Transport#GSO}): an outbox sends runs of datagrams
 * to one target as single segmented messages, yet every receiver gets the datagrams one by one, in
 * order, with their sizes; a socket with {@code UDP_GRO} gets a run as one buffer and splits it.
 */
@EnabledOnOs(OS.LINUX)
class SegmentOffloadTest {
  private static final String LOOPBACK = "127.0.0.1";

  private final DropCounters drops = new DropCounters();
  private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
  private UdpLoop loop;
  private DatagramChannel peerX;
  private DatagramChannel peerY;

  @BeforeEach
  void open() throws Exception {
    loop = Transport.GSO.newLoop("test-gso", () -> {});
    peerX = peer();
    peerY = peer();
  }

  private static DatagramChannel peer() throws Exception {
    DatagramChannel peer = DatagramChannel.open();
    peer.bind(new InetSocketAddress(LOOPBACK, 0));
    peer.configureBlocking(false);
    return peer;
  }

  @AfterEach
  void close() throws Exception {
    if (peerX != null) peerX.close();
    if (peerY != null) peerY.close();
    if (loop != null) loop.close();
  }

  private MmsgSocket openBatched() throws Exception {
    UdpSocket socket =
        loop.open(
            new InetSocketAddress(LOOPBACK, 0), (from, data) -> received.add(data), true, drops);
    assertThat(socket).as("the system calls are available here").isInstanceOf(MmsgSocket.class);
    return (MmsgSocket) socket;
  }

  /** {@code length} bytes that say which datagram they are. */
  private static byte[] datagram(int index, int length) {
    byte[] data = new byte[length];
    for (int i = 0; i < length; i++) data[i] = (byte) (index * 31 + i);
    return data;
  }

  private static InetSocketAddress address(DatagramChannel channel) throws Exception {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private static List<byte[]> receiveAll(DatagramChannel channel, int count) throws Exception {
    List<byte[]> all = new ArrayList<>();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (all.size() < count) {
      buffer.clear();
      SocketAddress from = channel.receive(buffer);
      if (from == null) {
        assertThat(System.nanoTime() - deadline).as(count + " datagrams within 10 s").isNegative();
        Thread.sleep(1);
        continue;
      }
      buffer.flip();
      byte[] data = new byte[buffer.remaining()];
      buffer.get(data);
      all.add(data);
    }
    return all;
  }

  @Test
  void runsToOneTargetLeaveAsSegmentedMessagesAndArriveOneByOne() throws Exception {
    MmsgSocket socket = openBatched();
    assertThat(socket.gso()).as("this kernel offers UDP_SEGMENT").isTrue();
    Outbox outbox = socket.newOutbox();
    InetSocketAddress x = address(peerX);
    InetSocketAddress y = address(peerY);
    List<byte[]> toX = new ArrayList<>();
    List<byte[]> toY = new ArrayList<>();
    int index = 0;
    for (int i = 0; i < 5; i++) toX.add(datagram(index++, 100)); // a run of 100-byte datagrams,
    toX.add(datagram(index++, 50)); // a shorter one ends it,
    toX.add(datagram(index++, 100)); // so this starts another
    toX.add(datagram(index++, 100));
    for (byte[] data : toX) outbox.add(x, data, 0, data.length);
    for (int i = 0; i < 3; i++) toY.add(datagram(index++, 100)); // another target: another run
    for (byte[] data : toY) outbox.add(y, data, 0, data.length);
    List<byte[]> largeToX = List.of(datagram(index++, 2000), datagram(index++, 2000));
    for (byte[] data : largeToX) outbox.add(x, data, 0, data.length); // above a segment: alone
    List<byte[]> smallToY = new ArrayList<>();
    for (int i = 0; i < 70; i++) smallToY.add(datagram(index++, 10)); // 64 segments at most
    for (byte[] data : smallToY) outbox.add(y, data, 0, data.length);
    outbox.flush();

    List<byte[]> expectX = new ArrayList<>(toX);
    expectX.addAll(largeToX);
    List<byte[]> expectY = new ArrayList<>(toY);
    expectY.addAll(smallToY);
    assertThat(receiveAll(peerX, expectX.size())).containsExactlyElementsOf(expectX);
    assertThat(receiveAll(peerY, expectY.size())).containsExactlyElementsOf(expectY);
    // Messages: 6 + 2 to X in two runs, 3 to Y, 2 large ones, 70 to Y in two runs.
    assertThat(socket.mmsgStats()).contains(new MmsgStats(0, 0, 0, 1, 7, 83));
    assertThat(drops.snapshot()).isEmpty();
  }

  @Test
  void aSocketWithGroGetsARunAsOneBufferAndSplitsIt() throws Exception {
    MmsgSocket sender = openBatched();
    MmsgSocket receiver = openBatched();
    Outbox outbox = sender.newOutbox();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) sent.add(datagram(i, 200));
    sent.add(datagram(40, 30));
    for (byte[] data : sent) outbox.add(receiver.localAddress(), data, 0, data.length);
    outbox.flush();

    List<byte[]> got = new ArrayList<>();
    for (int i = 0; i < sent.size(); i++) {
      byte[] data = received.poll(10, TimeUnit.SECONDS);
      assertThat(data).as("datagram " + i).isNotNull();
      got.add(data);
    }
    assertThat(got).containsExactlyElementsOf(sent);
    MmsgStats stats = receiver.mmsgStats().orElseThrow();
    assertThat(stats.receivedDatagrams()).isEqualTo(sent.size());
    assertThat(stats.receivedMessages()).as("coalesced").isLessThan(sent.size());
    assertThat(sender.mmsgStats().orElseThrow().sentMessages()).isEqualTo(1);
    assertThat(drops.snapshot()).isEmpty();
  }

  @Test
  void withoutOffloadEachDatagramIsAMessage() throws Exception {
    try (UdpLoop plain = Transport.MMSG.newLoop("test-no-gso", () -> {})) {
      MmsgSocket socket =
          (MmsgSocket)
              plain.open(new InetSocketAddress(LOOPBACK, 0), (from, data) -> {}, true, drops);
      assertThat(socket.gso()).isFalse();
      Outbox outbox = socket.newOutbox();
      List<byte[]> sent = new ArrayList<>();
      for (int i = 0; i < 10; i++) sent.add(datagram(i, 100));
      for (byte[] data : sent) outbox.add(address(peerX), data, 0, data.length);
      outbox.flush();
      assertThat(receiveAll(peerX, sent.size())).containsExactlyElementsOf(sent);
      assertThat(socket.mmsgStats()).contains(new MmsgStats(0, 0, 1, 10));
    }
  }

  @Test
  void taggedDatagramsJoinRunsWithTheirTags() throws Exception {
    MmsgSocket socket = openBatched();
    Outbox outbox = socket.newOutbox();
    byte[] reply = datagram(1, 60);
    for (int tag = 0; tag < 20; tag++) outbox.addTagged(address(peerX), tag, reply, 0, 60);
    outbox.flush();
    List<byte[]> got = receiveAll(peerX, 20);
    for (int tag = 0; tag < 20; tag++) {
      assertThat(got.get(tag)).hasSize(Tags.HEADER_LENGTH + 60);
      assertThat(Tags.tag(got.get(tag))).isEqualTo(tag);
    }
    assertThat(socket.mmsgStats()).contains(new MmsgStats(0, 0, 0, 1, 1, 20));
  }

  @Test
  void aRefusedSegmentedSendIsCountedAndTheSocketGoesOnWithoutSegmenting() throws Exception {
    MmsgSocket socket = openBatched();
    // The kernel refuses segmented sends on a socket without UDP checksums (SO_NO_CHECK), as it
    // would on a route whose MTU is below the segment size.
    assertThat(socket.calls().setIntOption(socket.fd, MmsgCalls.SOL_SOCKET, SO_NO_CHECK, 1))
        .isZero();
    Outbox outbox = socket.newOutbox();
    byte[] data = datagram(3, 100);
    for (int i = 0; i < 4; i++) outbox.add(address(peerX), data, 0, data.length);
    outbox.flush();
    assertThat(drops.snapshot()).containsEntry("send: error", 4L);
    assertThat(socket.gso()).isFalse();

    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) sent.add(datagram(10 + i, 100));
    for (byte[] each : sent) outbox.add(address(peerX), each, 0, each.length);
    outbox.flush();
    assertThat(receiveAll(peerX, sent.size())).containsExactlyElementsOf(sent);
    assertThat(drops.snapshot()).containsEntry("send: error", 4L).hasSize(1);
  }

  @Test
  void anEmptyDatagramNeverJoinsARun() throws Exception {
    MmsgSocket socket = openBatched();
    Outbox outbox = socket.newOutbox();
    List<byte[]> sent = List.of(datagram(1, 100), datagram(2, 100), new byte[0], new byte[0]);
    for (byte[] data : sent) outbox.add(address(peerX), data, 0, data.length);
    outbox.flush();
    assertThat(receiveAll(peerX, sent.size())).containsExactlyElementsOf(sent);
    assertThat(socket.mmsgStats()).contains(new MmsgStats(0, 0, 0, 1, 3, 4));
  }

  private static final int SO_NO_CHECK = 11;
}
