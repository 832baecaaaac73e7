package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Linker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * One socket for many clients: members share its address and tag their datagrams with their index,
 * a datagram reaches the member its tag names with the tag read off, sends queued by many members
 * leave in one sendmmsg, and datagrams without a tag or for no member are counted.
 */
@EnabledOnOs(OS.LINUX)
class SharedClientSocketTest {
  private final DropCounters drops = new DropCounters();
  private final List<LinkedBlockingQueue<Received>> received = new ArrayList<>();
  private UdpLoop loop;
  private DatagramChannel peer;
  private SharedClientSocket shared;

  record Received(InetSocketAddress from, String text) {}

  @BeforeEach
  void open() throws Exception {
    loop = Transport.MMSG.newLoop("test-shared", () -> {});
    shared = loop.openSharedClients(drops, InetAddress.getLoopbackAddress());
    peer = DatagramChannel.open();
    peer.bind(new InetSocketAddress("127.0.0.1", 0));
    peer.configureBlocking(false);
  }

  @AfterEach
  void close() throws Exception {
    if (peer != null) peer.close();
    if (loop != null) loop.close();
  }

  private UdpSocket member(int index) {
    LinkedBlockingQueue<Received> queue = new LinkedBlockingQueue<>();
    while (received.size() <= index) received.add(null);
    received.set(index, queue);
    return shared.member(
        index,
        (from, data) -> queue.add(new Received(from, new String(data, StandardCharsets.UTF_8))));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] tagged(int tag, String text) {
    byte[] data = utf8(text);
    return Tags.tagged(tag, data, 0, data.length);
  }

  /** Sends on the loop thread, as clients do; the loop flushes before it waits. */
  private void sendOnLoop(UdpSocket from, String text) {
    byte[] data = utf8(text);
    loop.execute(() -> from.send(peerAddress(), data, 0, data.length));
  }

  private InetSocketAddress peerAddress() {
    try {
      return (InetSocketAddress) peer.getLocalAddress();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The next datagram at the peer, its bytes as they travelled (tag included). */
  private record Datagram(InetSocketAddress from, byte[] bytes) {
    int tag() {
      return Tags.isTagged(bytes) ? Tags.tag(bytes) : Tags.NONE;
    }

    String text() {
      return new String(
          bytes, Tags.HEADER_LENGTH, bytes.length - Tags.HEADER_LENGTH, StandardCharsets.UTF_8);
    }
  }

  private Datagram receiveAtPeer() throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      buffer.clear();
      SocketAddress from = peer.receive(buffer);
      if (from != null) {
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new Datagram((InetSocketAddress) from, bytes);
      }
      Thread.sleep(1);
    }
    throw new AssertionError("nothing reached the peer");
  }

  private void awaitDrop(String reason, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (drops.get(reason) < count && System.nanoTime() - deadline < 0) Thread.sleep(1);
    assertThat(drops.get(reason)).isEqualTo(count);
  }

  @Test
  void membersShareTheAddressTagTheirDatagramsAndReceiveWhatIsTaggedForThem() throws Exception {
    UdpSocket first = member(0);
    UdpSocket second = member(1);
    assertThat(first.localAddress()).isEqualTo(shared.localAddress());
    assertThat(second.localAddress()).isEqualTo(shared.localAddress());
    assertThat(first.tag()).isZero();
    assertThat(second.tag()).isEqualTo(1);

    sendOnLoop(second, "from the second");
    Datagram atPeer = receiveAtPeer();
    assertThat(atPeer.from()).isEqualTo(shared.localAddress());
    assertThat(atPeer.tag()).isEqualTo(1);
    assertThat(atPeer.text()).isEqualTo("from the second");
    sendOnLoop(first, "from the first");
    atPeer = receiveAtPeer();
    assertThat(atPeer.tag()).isZero();
    assertThat(atPeer.text()).isEqualTo("from the first");

    peer.send(ByteBuffer.wrap(tagged(1, "to the second")), shared.localAddress());
    peer.send(ByteBuffer.wrap(tagged(0, "to the first")), shared.localAddress());
    assertThat(received.get(1).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "to the second"));
    assertThat(received.get(0).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "to the first"));
    assertThat(received.get(0)).isEmpty();
    assertThat(received.get(1)).isEmpty();
    assertThat(drops.snapshot()).isEmpty();
  }

  @Test
  void datagramsWithoutATagOrForNoMemberAreCountedAndTheOthersStillArrive() throws Exception {
    member(0);
    peer.send(ByteBuffer.wrap(tagged(9, "stray")), shared.localAddress());
    peer.send(ByteBuffer.wrap(utf8("untagged")), shared.localAddress());
    peer.send(ByteBuffer.wrap(new byte[0]), shared.localAddress());
    peer.send(ByteBuffer.wrap(new byte[] {(byte) Tags.MARKER, 0, 0}), shared.localAddress());
    byte[] highBit = tagged(0, "tag above 2^31");
    highBit[1] = (byte) 0x80;
    peer.send(ByteBuffer.wrap(highBit), shared.localAddress());
    peer.send(ByteBuffer.wrap(tagged(0, "wanted")), shared.localAddress());
    assertThat(received.get(0).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "wanted"));
    awaitDrop(SharedClientSocket.NO_MEMBER, 1);
    awaitDrop(SharedClientSocket.UNTAGGED, 2);
    awaitDrop(Tags.MALFORMED, 2);
    assertThat(received.get(0)).isEmpty();
  }

  @Test
  void sendsQueuedByManyMembersLeaveInOneCallAndABurstIsReadInFewCalls() throws Exception {
    int members = 40;
    List<UdpSocket> sockets = new ArrayList<>();
    for (int i = 0; i < members; i++) sockets.add(member(i));
    CountDownLatch sent = new CountDownLatch(1);
    loop.execute(
        () -> {
          for (int i = 0; i < members; i++) {
            byte[] data = utf8("request " + i);
            sockets.get(i).send(peerAddress(), data, 0, data.length);
          }
          sent.countDown();
        });
    assertThat(sent.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < members; i++) {
      Datagram atPeer = receiveAtPeer();
      assertThat(atPeer.tag()).isEqualTo(i);
      assertThat(atPeer.text()).isEqualTo("request " + i);
    }
    assertThat(shared.mmsgStats()).contains(new MmsgStats(0, 0, 1, members));

    // Hold the loop while the replies queue up: one recvmmsg then reads them all.
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    loop.execute(
        () -> {
          held.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
    for (int i = members - 1; i >= 0; i--) {
      peer.send(ByteBuffer.wrap(tagged(i, "reply " + i)), shared.localAddress());
    }
    release.countDown();
    for (int i = 0; i < members; i++) {
      assertThat(received.get(i).poll(10, TimeUnit.SECONDS))
          .isEqualTo(new Received(peerAddress(), "reply " + i));
    }
    MmsgStats stats = shared.mmsgStats().orElseThrow();
    assertThat(stats.receivedDatagrams()).isEqualTo(members);
    assertThat(stats.receiveCalls()).isLessThanOrEqualTo(2);
  }

  @Test
  void thousandsOfMembersEachHaveTheirTag() throws Exception {
    int members = 5_000;
    for (int i = 0; i < members - 1; i++) shared.member(i, (from, data) -> {});
    UdpSocket last = member(members - 1);
    assertThat(last.tag()).isEqualTo(members - 1);
    peer.send(ByteBuffer.wrap(tagged(members - 1, "to the last")), shared.localAddress());
    assertThat(received.get(members - 1).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "to the last"));
  }

  @Test
  void theSharedSocketItselfSendsNothingAndMembersAreUnique() {
    member(0);
    byte[] data = utf8("x");
    shared.send(peerAddress(), data, 0, data.length);
    assertThat(drops.snapshot()).containsEntry(SharedClientSocket.NOT_A_MEMBER, 1L);
    assertThatThrownBy(() -> shared.member(0, (from, bytes) -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> shared.member(-1, (from, bytes) -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loopsWithoutTheBatchedCallsSayWhyTheyCannotShare() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (UdpLoop nio = Transport.NIO.newLoop("test-shared-nio", () -> {})) {
      assertThatThrownBy(() -> nio.openSharedClients(new DropCounters(), loopback))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("batched system calls");
    }
    MmsgCalls.Availability missing =
        MmsgCalls.load("Linux", Linker.nativeLinker(), name -> Optional.empty());
    try (UdpLoop fallback =
        Transport.newMmsgLoop("test-shared-fallback", () -> {}, missing, line -> {}, true)) {
      assertThatThrownBy(() -> fallback.openSharedClients(new DropCounters(), loopback))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("batched system calls");
    }
  }
}
