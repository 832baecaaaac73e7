package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.runtime.RuntimeFixtures.CountingDriver;
import oskr.runtime.udp.Transport;

class EchoServerTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  void plainUnreplicatedClientsRunAgainstTheEchoServer(Transport transport) throws Exception {
    try (EchoServer echo = EchoServer.start(new Address(RuntimeFixtures.LOOPBACK, 0), transport)) {
      Config config = Config.of(0, List.of(echo.address()));
      CountingDriver driver =
          new CountingDriver(1_000, client -> Bytes.utf8("op " + client), false);
      try (ClientHost clients =
          ClientHost.start(
              Unreplicated.PLAIN,
              config,
              RuntimeFixtures.clientKeyring(Scheme.ED25519),
              Options.defaults(),
              4,
              2,
              driver,
              transport)) {
        assertThat(driver.await(20)).isTrue();
        assertThat(clients.drops()).isEmpty();
      }
      assertThat(echo.echoed()).isGreaterThanOrEqualTo(1_000);
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRequestBecomesTheDecodableEmptyReplyAndGarbageIsCounted(Transport transport)
      throws Exception {
    try (EchoServer echo = EchoServer.start(new Address(RuntimeFixtures.LOOPBACK, 0), transport);
        DatagramSocket client =
            new DatagramSocket(new InetSocketAddress(RuntimeFixtures.LOOPBACK, 0))) {
      client.setSoTimeout(5_000);
      InetSocketAddress server =
          new InetSocketAddress(RuntimeFixtures.LOOPBACK, echo.address().port());
      Writer out = new Writer();
      Frames.encode(
          Unreplicated.PLAIN, new UnreplicatedMessage.Request(-42, 9, Bytes.utf8("hello")), out);
      client.send(new DatagramPacket(new byte[] {1, 1, 2, 3}, 4, server));
      client.send(new DatagramPacket(out.toArray(), out.position(), server));

      DatagramPacket answer = new DatagramPacket(new byte[1 << 16], 1 << 16);
      client.receive(answer); // the echo answers the request, not the garbage
      byte[] reply = java.util.Arrays.copyOf(answer.getData(), answer.getLength());

      UnreplicatedMessage decoded = Frames.decode(Unreplicated.PLAIN, reply, 0, reply.length);
      assertThat(decoded)
          .isEqualTo(new UnreplicatedMessage.Reply(-42, 9, Bytes.EMPTY, Bytes.EMPTY));
      assertThat(new Reader(reply).remaining()).isEqualTo(35);
      Waits.until(() -> echo.drops().getOrDefault(EchoServer.NOT_A_REQUEST, 0L) == 1, 5);
    }
  }
}
