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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
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
 * Closed-loop clients on the mmsg transports share one socket per client loop, told apart by tags:
 * Unreplicated completes requests over them (with and without segmentation offload), bad datagrams
 * are counted without harm, large replies are reassembled per client, and sharing works beyond
 * loopback; on NIO the clients keep one socket each.
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

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"MMSG", "GSO"})
  void theClientsOfEachLoopShareOneSocket(Transport transport) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    ReplicaHost replica = replica(config, RuntimeFixtures.NULL_APP, transport);
    CountingDriver driver = CountingDriver.empty(4_000);
    ClientHost clients = clients(config, 16, 2, driver, transport);

    assertThat(driver.await(30)).as("4000 completions").isTrue();
    assertThat(clients.sharedSockets()).isEqualTo(2);
    Set<InetSocketAddress> addresses = new HashSet<>();
    for (int i = 0; i < 16; i++) {
      InetSocketAddress address = clients.clientAddress(i);
      addresses.add(address);
      assertThat(address.getAddress().getHostAddress()).isEqualTo(RuntimeFixtures.LOOPBACK);
      assertThat(address).isEqualTo(clients.clientAddress(i % 2)); // the loop's socket
    }
    assertThat(addresses).as("one socket per loop").hasSize(2);
    assertThat(driver.wrong.get()).isZero();
    assertThat(replica.failure()).isEmpty();
    assertThat(clients.failure()).isEmpty();
    // A reply to a resent request (the first ones may wait 200 ms on a loaded machine) comes
    // twice; nothing else may be dropped.
    assertThat(clients.drops().keySet()).isSubsetOf("reply to no outstanding request");
    assertThat(replica.drops()).isEmpty();
  }

  @Test
  void badDatagramsAreCountedAndTheClientsGoOn() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    replica(config, RuntimeFixtures.NULL_APP, Transport.MMSG);
    CountingDriver first = CountingDriver.empty(200);
    ClientHost clients = clients(config, 4, 1, first, Transport.MMSG);
    assertThat(first.await(20)).isTrue();
    InetSocketAddress client = clients.clientAddress(0);
    try (DatagramChannel attacker = DatagramChannel.open()) {
      attacker.bind(new InetSocketAddress(RuntimeFixtures.LOOPBACK, 0));
      attacker.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), client); // untagged
      attacker.send(ByteBuffer.wrap(new byte[] {(byte) 0xF1, 0, 0, 0, 9, 1}), client); // nobody
      attacker.send(ByteBuffer.wrap(new byte[] {(byte) 0xF1, 0, 0, 0, 0, 1, 2, 3}), client);
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (clients.drops().size() < 3 && System.nanoTime() - deadline < 0) Thread.sleep(5);
    assertThat(clients.drops())
        .containsEntry("receive: untagged datagram on a shared client socket", 1L)
        .containsEntry("receive: no client of the datagram's tag", 1L)
        .as("the third reached client 0 and is not a frame")
        .hasSize(3);
    long before = first.completed.get();
    long waitUntil = System.nanoTime() + 10_000_000_000L;
    while (first.completed.get() < before + 100 && System.nanoTime() - waitUntil < 0) {
      Thread.sleep(5);
    }
    assertThat(first.completed.get()).as("the clients go on").isGreaterThan(before + 100);
    assertThat(clients.failure()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"MMSG", "GSO"})
  void largeRepliesAreReassembledPerClient(Transport transport) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    replica(config, App.stateless((opNumber, op) -> op), transport);
    Bytes[] ops = new Bytes[4];
    Random random = new Random(7);
    for (int i = 0; i < ops.length; i++) {
      byte[] op = new byte[150 * 1024];
      random.nextBytes(op);
      ops[i] = Bytes.adopt(op);
    }
    CountingDriver driver = new CountingDriver(40, client -> ops[client], true);
    ClientHost clients = clients(config, ops.length, 1, driver, transport);

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
    assertThat(clients.clientAddress(0)).isNotEqualTo(clients.clientAddress(1));
  }

  @Test
  void clientsShareSocketsBeyondLoopbackToo() throws Exception {
    Optional<InetAddress> external = nonLoopbackIpv4();
    assumeThat(external).as("a non-loopback IPv4 address on this machine").isPresent();
    String host = external.get().getHostAddress();
    Config config = Config.of(0, List.of(new Address(host, RuntimeFixtures.freePort())));
    replica(config, RuntimeFixtures.NULL_APP, Transport.GSO);
    CountingDriver driver = CountingDriver.empty(200);
    ClientHost clients = clients(config, 4, 2, driver, Transport.GSO);

    assertThat(driver.await(20)).as("200 completions on shared sockets").isTrue();
    assertThat(clients.sharedSockets()).isEqualTo(2);
    assertThat(clients.clientAddress(0).getAddress()).isEqualTo(external.get());
    assertThat(driver.wrong.get()).isZero();
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
