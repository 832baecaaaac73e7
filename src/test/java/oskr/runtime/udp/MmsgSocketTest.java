package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The mmsg transport's sockets on loopback: recvmmsg drains a busy socket in batches, an outbox
 * sends its datagrams with one sendmmsg, and what either cannot do is counted, not thrown.
 */
@EnabledOnOs(OS.LINUX)
class MmsgSocketTest {
  private static final String LOOPBACK = "127.0.0.1";

  private final DropCounters drops = new DropCounters();
  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private UdpLoop loop;
  private DatagramChannel peer;

  record Received(InetSocketAddress from, byte[] data) {}

  @BeforeEach
  void open() throws Exception {
    loop = Transport.MMSG.newLoop("test-mmsg", () -> {});
    peer = DatagramChannel.open();
    peer.bind(new InetSocketAddress(LOOPBACK, 0));
    peer.configureBlocking(false); // receiveWithin polls
  }

  @AfterEach
  void close() throws Exception {
    if (peer != null) peer.close();
    if (loop != null) loop.close();
  }

  private MmsgSocket openBatched() throws Exception {
    UdpSocket socket =
        loop.open(
            new InetSocketAddress(LOOPBACK, 0),
            (from, data) -> received.add(new Received(from, data)),
            true,
            drops);
    assertThat(socket).as("the system calls are available here").isInstanceOf(MmsgSocket.class);
    return (MmsgSocket) socket;
  }

  private static byte[] datagram(int index, int length) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) index);
    if (length >= 4) ByteBuffer.wrap(data).putInt(index);
    return data;
  }

  /** A non-blocking receive, retried for up to 10 s: a lost datagram fails, never hangs. */
  private static SocketAddress receiveWithin(DatagramChannel channel, ByteBuffer buffer)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      SocketAddress from = channel.receive(buffer);
      if (from != null) return from;
      assertThat(System.nanoTime() - deadline).as("a datagram within 10 s").isNegative();
      Thread.sleep(1);
    }
  }

  @Test
  void theSystemCallsAreAvailableHere() {
    assertThat(MmsgCalls.system().reason()).isNull();
    assertThat(MmsgCalls.system().calls()).isNotNull();
  }

  @Test
  void aBusySocketIsDrainedWithFewRecvmmsgCallsInOrder() throws Exception {
    MmsgSocket socket = openBatched();
    CountDownLatch release = new CountDownLatch(1);
    loop.execute(
        () -> {
          try {
            release.await(10, TimeUnit.SECONDS); // hold the loop while the datagrams queue up
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    int count = 150;
    for (int i = 0; i < count; i++) {
      peer.send(ByteBuffer.wrap(datagram(i, 20 + i)), socket.localAddress());
    }
    release.countDown();

    for (int i = 0; i < count; i++) {
      Received one = received.poll(10, TimeUnit.SECONDS);
      assertThat(one).as("datagram " + i).isNotNull();
      assertThat(one.data()).isEqualTo(datagram(i, 20 + i));
      assertThat(one.from()).isEqualTo(peer.getLocalAddress());
    }
    assertThat(socket.receivedDatagrams.sum()).isEqualTo(count);
    // 150 queued datagrams: three calls of at most 64, and a last one may find the socket empty.
    assertThat(socket.receiveCalls.sum()).isBetween(3L, 4L);
    assertThat(drops.total()).isZero();
  }

  @Test
  void anOversizedDatagramArrivesWholeForTheReceiverToCount() throws Exception {
    MmsgSocket socket = openBatched();
    byte[] big = datagram(7, 65_300); // above DATAGRAM_MAX, below the UDP limit
    peer.send(ByteBuffer.wrap(big), socket.localAddress());
    peer.send(ByteBuffer.wrap(new byte[0]), socket.localAddress());

    assertThat(received.poll(10, TimeUnit.SECONDS).data()).isEqualTo(big);
    assertThat(received.poll(10, TimeUnit.SECONDS).data()).isEmpty();
  }

  @Test
  void anOutboxSendsItsDatagramsWithOneSendmmsgOnFlush() throws Exception {
    MmsgSocket socket = openBatched();
    Outbox outbox = socket.newOutbox();
    assertThat(outbox.batches()).isTrue();
    InetSocketAddress to = (InetSocketAddress) peer.getLocalAddress();
    for (int i = 0; i < 10; i++) outbox.add(to, datagram(i, 100 + i), 0, 100 + i);
    assertThat(socket.sends.calls.sum()).as("nothing leaves before the flush").isZero();

    outbox.flush();

    assertThat(socket.sends.calls.sum()).isEqualTo(1);
    assertThat(socket.sends.datagrams.sum()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      assertThat(receiveWithin(peer, buffer)).isEqualTo(socket.localAddress());
      assertThat(Arrays.copyOf(buffer.array(), buffer.position())).isEqualTo(datagram(i, 100 + i));
    }
    assertThat(drops.total()).isZero();
  }

  @Test
  void aFullOutboxFlushesByItselfAndAddToAllCopiesOnce() throws Exception {
    MmsgSocket socket = openBatched();
    List<DatagramChannel> targets = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        DatagramChannel target = DatagramChannel.open();
        target.bind(new InetSocketAddress(LOOPBACK, 0));
        target.configureBlocking(false);
        targets.add(target);
      }
      InetSocketAddress[] addresses = new InetSocketAddress[3];
      for (int i = 0; i < 3; i++)
        addresses[i] = (InetSocketAddress) targets.get(i).getLocalAddress();
      Outbox outbox = socket.newOutbox();
      int rounds = MmsgOutbox.SLOTS; // 2 datagrams a round: the outbox fills halfway through
      for (int round = 0; round < rounds; round++) {
        byte[] data = datagram(round, 64);
        outbox.addToAll(addresses, 1, data, 0, data.length);
      }
      outbox.flush();

      assertThat(socket.sends.datagrams.sum()).isEqualTo(2L * rounds);
      assertThat(socket.sends.calls.sum()).isEqualTo(2);
      for (int target : new int[] {0, 2}) {
        for (int round = 0; round < rounds; round++) {
          ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
          receiveWithin(targets.get(target), buffer);
          assertThat(Arrays.copyOf(buffer.array(), buffer.position()))
              .isEqualTo(datagram(round, 64));
        }
      }
      assertThat(targets.get(1).receive(ByteBuffer.allocate(64))).as("excluded").isNull();
      assertThat(drops.total()).isZero();
    } finally {
      for (DatagramChannel target : targets) target.close();
    }
  }

  @Test
  void whatCannotBeSentIsCountedNotThrown() throws Exception {
    MmsgSocket socket = openBatched();
    Outbox outbox = socket.newOutbox();
    outbox.add(InetSocketAddress.createUnresolved("nowhere.invalid", 9), new byte[8], 0, 8);
    outbox.add(new InetSocketAddress("::1", 9), new byte[8], 0, 8); // IPv6 from an IPv4 socket
    assertThat(drops.get(MmsgOutbox.UNREACHABLE)).isEqualTo(2);

    outbox.add((InetSocketAddress) peer.getLocalAddress(), new byte[8], 0, 8);
    loop.close(); // closes the socket and its outboxes: the queued datagram is dropped, counted
    outbox.add((InetSocketAddress) peer.getLocalAddress(), new byte[8], 0, 8);
    outbox.flush();
    assertThat(drops.get(MmsgSocket.SOCKET_CLOSED)).isEqualTo(2);
    assertThat(socket.sends.calls.sum()).isZero();
  }
}
