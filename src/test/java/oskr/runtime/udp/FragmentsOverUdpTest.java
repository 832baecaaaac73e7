package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FragmentsOverUdpTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aFrameOf200KibArrivesIntact(Transport transport) throws Exception {
    sendAndReceive(transport, false);
  }

  /** Through an outbox: on the mmsg transport the fragments leave in sendmmsg batches. */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aFrameOf200KibArrivesIntactThroughAnOutbox(Transport transport) throws Exception {
    sendAndReceive(transport, true);
  }

  private static void sendAndReceive(Transport transport, boolean throughOutbox) throws Exception {
    byte[] frame = new byte[200 * 1024];
    new Random(1).nextBytes(frame);
    DropCounters drops = new DropCounters();
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    try (UdpLoop receiverLoop = transport.newLoop("test-receiver", () -> {});
        UdpLoop senderLoop = transport.newLoop("test-sender", () -> {})) {
      Reassembler reassembler = new Reassembler(drops);
      Receiver receiver =
          (from, data) -> {
            byte[] whole =
                Fragments.isFragment(data)
                    ? reassembler.accept(from, data, System.nanoTime())
                    : data;
            if (whole != null) received.complete(whole);
          };
      UdpSocket in =
          receiverLoop.open(new InetSocketAddress("127.0.0.1", 0), receiver, true, drops);
      // Batched, so that on the mmsg transport the sender is an mmsg socket too.
      UdpSocket out =
          senderLoop.open(new InetSocketAddress("127.0.0.1", 0), (from, data) -> {}, true, drops);

      FrameSender sender = new FrameSender(out, drops);
      if (throughOutbox) {
        Outbox outbox = out.newOutbox();
        sender.send(outbox, in.localAddress(), frame, 0, frame.length);
        outbox.flush();
      } else {
        sender.send(in.localAddress(), frame, 0, frame.length);
      }

      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(frame);
      assertThat(drops.total()).isZero();
      int fragments = Fragments.count(frame.length);
      if (transport.batchesSystemCalls()) {
        assertThat(in.mmsgStats().orElseThrow().receivedDatagrams()).isEqualTo(fragments);
        // Single sends go through the channel; an outbox's flush is one sendmmsg for all.
        assertThat(out.mmsgStats().orElseThrow())
            .isEqualTo(new MmsgStats(0, 0, throughOutbox ? 1 : 0, throughOutbox ? fragments : 0));
      } else {
        assertThat(out.mmsgStats()).isEmpty();
      }
    }
  }
}
