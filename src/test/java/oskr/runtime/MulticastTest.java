package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;

/** A replica joins the config's multicast group and serves what is sent to it. */
class MulticastTest {
  private static final String GROUP = "239.255.77.";

  @Test
  void aRequestSentToTheGroupIsServed() throws Exception {
    InetSocketAddress group =
        new InetSocketAddress(
            GROUP + (1 + RuntimeFixtures.freePort() % 200), RuntimeFixtures.freePort());
    assumeTrue(multicastWorksHere(group), "this machine does not loop multicast back");
    Config config =
        new Config(
            0,
            List.of(new Address(RuntimeFixtures.LOOPBACK, RuntimeFixtures.freePort())),
            Optional.of(new Address(group.getHostString(), group.getPort())));
    try (ReplicaHost replica =
            ReplicaHost.start(
                Unreplicated.PLAIN,
                config,
                0,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                RuntimeFixtures.NULL_APP,
                Options.defaults(),
                RuntimeOptions.defaults());
        MulticastSocket client = new MulticastSocket(new InetSocketAddress(0))) {
      client.setSoTimeout(5_000);
      Writer out = new Writer();
      Frames.encode(Unreplicated.PLAIN, new UnreplicatedMessage.Request(1, 1, Bytes.EMPTY), out);
      client.send(new DatagramPacket(out.toArray(), out.position(), group));

      DatagramPacket reply = new DatagramPacket(new byte[1 << 16], 1 << 16);
      client.receive(reply);
      UnreplicatedMessage decoded =
          Frames.decode(Unreplicated.PLAIN, reply.getData(), 0, reply.getLength());
      assertThat(decoded).isEqualTo(new UnreplicatedMessage.Reply(1, 1, Bytes.EMPTY, Bytes.EMPTY));
    }
  }

  /** Plain JDK sockets: does a datagram sent to the group come back to a local member? */
  private static boolean multicastWorksHere(InetSocketAddress group) throws IOException {
    Optional<NetworkInterface> candidate =
        Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
            .filter(MulticastTest::canMulticast)
            .findFirst();
    if (candidate.isEmpty()) return false;
    try (MulticastSocket member = new MulticastSocket(group.getPort());
        MulticastSocket sender = new MulticastSocket(0)) {
      member.joinGroup(group, candidate.get());
      member.setSoTimeout(2_000);
      sender.send(new DatagramPacket(new byte[] {1}, 1, group.getAddress(), group.getPort()));
      member.receive(new DatagramPacket(new byte[8], 8));
      member.leaveGroup(group, candidate.get());
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private static boolean canMulticast(NetworkInterface networkInterface) {
    try {
      return networkInterface.isUp()
          && networkInterface.supportsMulticast()
          && !networkInterface.isLoopback();
    } catch (IOException e) {
      return false;
    }
  }
}
