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
 * One socket for many clients: each member sends from its own loopback address, a datagram reaches
 * the member it was sent to, sends queued by many members leave in one sendmmsg, and datagrams for
 * no member are counted.
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
    shared = loop.openSharedClients(drops);
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

  private Received receiveAtPeer() throws Exception {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      buffer.clear();
      SocketAddress from = peer.receive(buffer);
      if (from != null) {
        buffer.flip();
        return new Received(
            (InetSocketAddress) from, StandardCharsets.UTF_8.decode(buffer).toString());
      }
      Thread.sleep(1);
    }
    throw new AssertionError("nothing reached the peer");
  }

  @Test
  void eachMemberSendsFromItsOwnAddressAndReceivesWhatIsSentToIt() throws Exception {
    UdpSocket first = member(0);
    UdpSocket second = member(1);
    int port = first.localAddress().getPort();
    assertThat(first.localAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.2.0.1"), port));
    assertThat(second.localAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.2.0.2"), port));

    sendOnLoop(second, "from the second");
    Received atPeer = receiveAtPeer();
    assertThat(atPeer).isEqualTo(new Received(second.localAddress(), "from the second"));
    sendOnLoop(first, "from the first");
    assertThat(receiveAtPeer()).isEqualTo(new Received(first.localAddress(), "from the first"));

    peer.send(ByteBuffer.wrap(utf8("to the second")), second.localAddress());
    peer.send(ByteBuffer.wrap(utf8("to the first")), first.localAddress());
    assertThat(received.get(1).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "to the second"));
    assertThat(received.get(0).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "to the first"));
    assertThat(received.get(0)).isEmpty();
    assertThat(received.get(1)).isEmpty();
    assertThat(drops.snapshot()).isEmpty();
  }

  @Test
  void aDatagramForNoMemberIsCountedAndTheOthersStillArrive() throws Exception {
    UdpSocket first = member(0);
    int port = first.localAddress().getPort();
    peer.send(
        ByteBuffer.wrap(utf8("stray")),
        new InetSocketAddress(InetAddress.getByName("127.2.0.9"), port));
    peer.send(ByteBuffer.wrap(utf8("wanted")), first.localAddress());
    assertThat(received.get(0).poll(10, TimeUnit.SECONDS))
        .isEqualTo(new Received(peerAddress(), "wanted"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (drops.get(SharedClientSocket.NO_MEMBER) == 0 && System.nanoTime() - deadline < 0) {
      Thread.sleep(1);
    }
    assertThat(drops.snapshot()).containsEntry(SharedClientSocket.NO_MEMBER, 1L);
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
    List<Received> atPeer = new ArrayList<>();
    for (int i = 0; i < members; i++) atPeer.add(receiveAtPeer());
    for (int i = 0; i < members; i++) {
      assertThat(atPeer.get(i))
          .isEqualTo(new Received(sockets.get(i).localAddress(), "request " + i));
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
      peer.send(ByteBuffer.wrap(utf8("reply " + i)), sockets.get(i).localAddress());
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
  void thousandsOfMembersEachHaveTheirAddress() throws Exception {
    int members = 5_000;
    for (int i = 0; i < members - 1; i++) shared.member(i, (from, data) -> {});
    UdpSocket last = member(members - 1);
    assertThat(last.localAddress().getAddress().getHostAddress()).isEqualTo("127.2.19.136");
    peer.send(ByteBuffer.wrap(utf8("to the last")), last.localAddress());
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
    assertThatThrownBy(() -> SharedClientSocket.memberAddress(SharedClientSocket.MAX_MEMBERS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            SharedClientSocket.memberAddress(SharedClientSocket.MAX_MEMBERS - 1).getHostAddress())
        .isEqualTo("127.255.255.254");
  }

  @Test
  void loopsWithoutTheBatchedCallsSayWhyTheyCannotShare() throws Exception {
    try (UdpLoop nio = Transport.NIO.newLoop("test-shared-nio", () -> {})) {
      assertThatThrownBy(() -> nio.openSharedClients(new DropCounters()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("batched system calls");
    }
    MmsgCalls.Availability missing =
        MmsgCalls.load("Linux", Linker.nativeLinker(), name -> Optional.empty());
    try (UdpLoop fallback =
        Transport.newMmsgLoop("test-shared-fallback", () -> {}, missing, line -> {})) {
      assertThatThrownBy(() -> fallback.openSharedClients(new DropCounters()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("batched system calls");
    }
  }
}
