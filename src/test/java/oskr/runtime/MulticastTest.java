package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
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
    NetworkInterface loopingBack = assumeMulticastLoopsBack(group);
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
    // Printed because elsewhere the test skips: the build log shows that it ran here.
    System.err.println(
        "MulticastTest ran: a replica served a request sent to group "
            + group.getHostString()
            + ":"
            + group.getPort()
            + " (multicast loops back on "
            + loopingBack.getName()
            + ")");
  }

  /**
   * Plain JDK sockets: does a datagram sent to the group come back to a local member? Returns the
   * interface it came back on; else skips the test, printing and recording the missing capability.
   */
  private static NetworkInterface assumeMulticastLoopsBack(InetSocketAddress group)
      throws IOException {
    List<NetworkInterface> all = Collections.list(NetworkInterface.getNetworkInterfaces());
    Optional<NetworkInterface> candidate =
        all.stream().filter(MulticastTest::canMulticast).findFirst();
    if (candidate.isEmpty()) {
      return skip(
          "no network interface is up, supports multicast and is not loopback (interfaces: "
              + all.stream().map(NetworkInterface::getName).toList()
              + ")");
    }
    try (MulticastSocket member = new MulticastSocket(group.getPort());
        MulticastSocket sender = new MulticastSocket(0)) {
      member.joinGroup(group, candidate.get());
      member.setSoTimeout(2_000);
      sender.send(new DatagramPacket(new byte[] {1}, 1, group.getAddress(), group.getPort()));
      member.receive(new DatagramPacket(new byte[8], 8));
      member.leaveGroup(group, candidate.get());
      return candidate.get();
    } catch (SocketTimeoutException e) {
      return skip(
          "multicast does not loop back on "
              + candidate.get().getName()
              + ": a datagram sent to group "
              + group.getHostString()
              + ":"
              + group.getPort()
              + " did not reach a member on this host within 2 s (multicast loopback off or"
              + " filtered)");
    }
  }

  private static <T> T skip(String missing) {
    String message = "MulticastTest skipped: " + missing;
    System.err.println(message);
    return Assumptions.abort(message);
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
