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
      UdpSocket out =
          senderLoop.open(new InetSocketAddress("127.0.0.1", 0), (from, data) -> {}, false, drops);

      new FrameSender(out, drops).send(in.localAddress(), frame, 0, frame.length);

      assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo(frame);
      assertThat(drops.total()).isZero();
    }
  }
}
