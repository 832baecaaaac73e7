package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.runtime.RuntimeFixtures.CountingDriver;
import oskr.runtime.udp.Fragments;
import oskr.runtime.udp.Transport;

/**
 * Garbage at a running replica is dropped and counted, and the replica keeps serving: on NIO and on
 * the mmsg transport (recvmmsg reads the same garbage in batches).
 */
class BadInputTest {
  private final Random random = new Random(2024);
  private Config config;
  private ReplicaHost replica;
  private DatagramChannel attacker;
  private InetSocketAddress target;

  private void start(RuntimeOptions runtime) throws Exception {
    config = RuntimeFixtures.oneReplica();
    replica =
        ReplicaHost.start(
            Unreplicated.PLAIN,
            config,
            0,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            RuntimeFixtures.NULL_APP,
            Options.defaults(),
            runtime);
    attacker = DatagramChannel.open();
    attacker.bind(new InetSocketAddress(RuntimeFixtures.LOOPBACK, 0));
    target = new InetSocketAddress(config.replica(0).host(), config.replica(0).port());
  }

  @AfterEach
  void stop() throws Exception {
    if (attacker != null) attacker.close();
    if (replica != null) replica.close();
  }

  private void send(byte[] datagram) throws Exception {
    attacker.send(ByteBuffer.wrap(datagram), target);
  }

  private static byte[] frame(UnreplicatedMessage message) {
    Writer out = new Writer();
    Frames.encode(Unreplicated.PLAIN, message, out);
    return out.toArray();
  }

  private long count(String reason) {
    return replica.drops().getOrDefault(reason, 0L);
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "MMSG"})
  void garbageIsCountedByReasonAndTheReplicaKeepsServing(Transport transport) throws Exception {
    start(RuntimeOptions.defaults().withWorkers(2).withTransport(transport));
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[random.nextInt(300)];
      random.nextBytes(junk);
      if (junk.length > 0 && (junk[0] & 0xff) == Fragments.MARKER) junk[0] = 0; // fragments below
      send(junk);
    }
    byte[] request = frame(new UnreplicatedMessage.Request(5, 1, Bytes.utf8("op")));
    for (int cut = 0; cut < request.length; cut++) send(java.util.Arrays.copyOf(request, cut));
    send(new byte[65_300]); // above DATAGRAM_MAX, below the UDP limit
    send(new byte[] {(byte) Fragments.MARKER, 0, 0, 0});
    send(frame(new UnreplicatedMessage.Reply(5, 1, Bytes.EMPTY, Bytes.EMPTY))); // unknown sender

    int junkAndCuts = 200 + request.length;
    Waits.until(() -> malformed() >= junkAndCuts, 10);
    Waits.until(() -> count(ReplicaInbound.OVERSIZED) == 1, 10);
    Waits.until(() -> count("fragment: malformed") == 1, 10);
    Waits.until(() -> count("reply sent to the replica") == 1, 10);
    assertThat(malformed()).isEqualTo(junkAndCuts);
    assertThat(count("malformed: truncated")).isGreaterThanOrEqualTo(request.length);
    assertThat(replica.failure()).isEmpty();

    CountingDriver driver = CountingDriver.empty(50);
    try (ClientHost clients =
        ClientHost.start(
            Unreplicated.PLAIN,
            config,
            RuntimeFixtures.clientKeyring(Scheme.ED25519),
            Options.defaults(),
            2,
            1,
            driver,
            transport)) {
      assertThat(driver.await(10)).as("the replica still serves").isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Transport.class,
      names = {"NIO", "MMSG"})
  void theDropRateDropsAboutThatFraction(Transport transport) throws Exception {
    start(RuntimeOptions.defaults().withDropRate(0.3).withTransport(transport));
    byte[] reply = frame(new UnreplicatedMessage.Reply(5, 1, Bytes.EMPTY, Bytes.EMPTY));
    int sent = 4_000;
    for (int i = 0; i < sent; i++) {
      send(reply);
      int sentSoFar = i + 1;
      if (sentSoFar % 500 == 0) Waits.until(() -> arrived() >= sentSoFar, 10); // pace: no loss
    }
    Waits.until(() -> arrived() >= sent, 10);

    double dropped = count(ReplicaInbound.DROPPED_ON_PURPOSE) / (double) arrived();
    assertThat(dropped).isBetween(0.25, 0.35);
  }

  private long malformed() {
    return replica.drops().entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("malformed: "))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private long arrived() {
    return count(ReplicaInbound.DROPPED_ON_PURPOSE) + count("reply sent to the replica");
  }
}
