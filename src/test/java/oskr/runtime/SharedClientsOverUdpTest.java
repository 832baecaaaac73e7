package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.RuntimeFixtures.CountingDriver;
import oskr.runtime.udp.Transport;

/**
 * Closed-loop clients on the mmsg transport share one socket per client loop, each with its own
 * loopback address: Unreplicated completes requests over them, bad datagrams are counted without
 * harm, and large replies are reassembled per client; where sharing is impossible the clients keep
 * one socket each.
 */
@EnabledOnOs(OS.LINUX)
class SharedClientsOverUdpTest {
  @RegisterExtension final Opened open = new Opened();

  private ReplicaHost replica(Config config, App app, Transport transport) throws Exception {
    return open.track(
        ReplicaHost.start(
            Unreplicated.PLAIN,
            config,
            0,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            app,
            Options.defaults(),
            RuntimeOptions.defaults().withTransport(transport)));
  }

  private ClientHost clients(
      Config config, int clients, int threads, CountingDriver driver, Transport transport)
      throws Exception {
    return open.track(
        ClientHost.start(
            Unreplicated.PLAIN,
            config,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            Options.defaults(),
            clients,
            threads,
            driver,
            transport));
  }

  @Test
  void theClientsOfEachLoopShareOneSocketWithAnAddressEach() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    ReplicaHost replica = replica(config, RuntimeFixtures.NULL_APP, Transport.MMSG);
    CountingDriver driver = CountingDriver.empty(4_000);
    ClientHost clients = clients(config, 16, 2, driver, Transport.MMSG);

    assertThat(driver.await(30)).as("4000 completions").isTrue();
    assertThat(clients.sharedSockets()).isEqualTo(2);
    Set<InetAddress> addresses = new HashSet<>();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      InetSocketAddress address = clients.clientAddress(i);
      addresses.add(address.getAddress());
      ports.add(address.getPort());
      assertThat(address.getAddress().getHostAddress()).isEqualTo("127.2.0." + (i + 1));
    }
    assertThat(addresses).hasSize(16);
    assertThat(ports).as("one port per loop").hasSize(2);
    assertThat(driver.wrong.get()).isZero();
    assertThat(replica.failure()).isEmpty();
    assertThat(clients.failure()).isEmpty();
    assertThat(clients.drops()).isEmpty();
  }

  @Test
  void badDatagramsAreCountedAndTheClientsGoOn() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    replica(config, RuntimeFixtures.NULL_APP, Transport.MMSG);
    CountingDriver first = CountingDriver.empty(200);
    ClientHost clients = clients(config, 4, 1, first, Transport.MMSG);
    assertThat(first.await(20)).isTrue();
    InetSocketAddress client = clients.clientAddress(0);
    InetSocketAddress nobody =
        new InetSocketAddress(InetAddress.getByName("127.2.0.200"), client.getPort());
    try (DatagramChannel attacker = DatagramChannel.open()) {
      attacker.bind(new InetSocketAddress(RuntimeFixtures.LOOPBACK, 0));
      attacker.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), client); // not a frame
      attacker.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), nobody);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (clients.drops().size() < 2 && System.nanoTime() - deadline < 0) Thread.sleep(5);
    assertThat(clients.drops())
        .containsEntry("receive: no client at the destination address", 1L)
        .hasSize(2);
    long before = first.completed.get();
    long waitUntil = System.nanoTime() + 10_000_000_000L;
    while (first.completed.get() < before + 100 && System.nanoTime() - waitUntil < 0) {
      Thread.sleep(5);
    }
    assertThat(first.completed.get()).as("the clients go on").isGreaterThan(before + 100);
    assertThat(clients.failure()).isEmpty();
  }

  @Test
  void largeRepliesAreReassembledPerClient() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    replica(config, App.stateless((opNumber, op) -> op), Transport.MMSG);
    Bytes[] ops = new Bytes[4];
    Random random = new Random(7);
    for (int i = 0; i < ops.length; i++) {
      byte[] op = new byte[150 * 1024];
      random.nextBytes(op);
      ops[i] = Bytes.adopt(op);
    }
    CountingDriver driver = new CountingDriver(40, client -> ops[client], true);
    ClientHost clients = clients(config, ops.length, 1, driver, Transport.MMSG);

    assertThat(driver.await(30)).as("40 large round trips").isTrue();
    assertThat(clients.sharedSockets()).isEqualTo(1);
    assertThat(driver.wrong.get()).as("each client gets its own operation back").isZero();
  }

  @Test
  void onNioTheClientsKeepOneSocketEach() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    replica(config, RuntimeFixtures.NULL_APP, Transport.NIO);
    CountingDriver driver = CountingDriver.empty(200);
    ClientHost clients = clients(config, 4, 2, driver, Transport.NIO);
    assertThat(driver.await(20)).isTrue();
    assertThat(clients.sharedSockets()).isZero();
    assertThat(clients.clientAddress(0).getAddress().getHostAddress())
        .isEqualTo(RuntimeFixtures.LOOPBACK);
  }

  @Test
  void replicasBeyondLoopbackFallBackToOneSocketPerClient() throws Exception {
    Optional<InetAddress> external = nonLoopbackIpv4();
    assumeThat(external).as("a non-loopback IPv4 address on this machine").isPresent();
    String host = external.get().getHostAddress();
    Config config = Config.of(0, List.of(new Address(host, RuntimeFixtures.freePort())));
    replica(config, RuntimeFixtures.NULL_APP, Transport.MMSG);
    CountingDriver driver = CountingDriver.empty(200);
    ClientHost clients = clients(config, 4, 2, driver, Transport.MMSG);

    assertThat(driver.await(20)).as("200 completions on one socket per client").isTrue();
    assertThat(clients.sharedSockets()).isZero();
    assertThat(clients.clientAddress(0).getAddress()).isEqualTo(external.get());
  }

  private static Optional<InetAddress> nonLoopbackIpv4() throws Exception {
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress address : nic.inetAddresses().toList()) {
        if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }
}
