package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.runtime.udp.MmsgStats;
import oskr.runtime.udp.Transport;

/**
 * On the mmsg transport with the inline stage and one worker, the requests of one recvmmsg are
 * executed on the socket's loop and their replies leave together in one sendmmsg at the end of the
 * batch: one read and one send for many requests.
 */
@EnabledOnOs(OS.LINUX)
class MmsgBatchingTest {
  @Test
  void theRepliesToOneBatchOfReadsLeaveInOneSendmmsg() throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    int requests = 40;
    try (ReplicaHost replica =
            ReplicaHost.start(
                Unreplicated.PLAIN,
                config,
                0,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                RuntimeFixtures.NULL_APP,
                Options.defaults(),
                RuntimeOptions.defaults()
                    .withTransport(Transport.MMSG)
                    .withStage(StageMode.INLINE));
        DatagramChannel clients = DatagramChannel.open()) {
      clients.bind(new InetSocketAddress(RuntimeFixtures.LOOPBACK, 0));
      clients.configureBlocking(false);
      InetSocketAddress target =
          new InetSocketAddress(config.replica(0).host(), config.replica(0).port());
      assertThat(replica.mmsgStats()).contains(new MmsgStats(0, 0, 0, 0));

      // Hold the socket's loop while 40 requests (40 client ids, one address) queue up.
      CountDownLatch held = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      replica
          .socketLoop()
          .execute(
              () -> {
                held.countDown();
                awaitQuietly(release);
              });
      assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
      for (int client = 1; client <= requests; client++) {
        Writer out = new Writer();
        Frames.encode(
            Unreplicated.PLAIN, new UnreplicatedMessage.Request(client, 1, Bytes.utf8("op")), out);
        clients.send(ByteBuffer.wrap(out.toArray()), target);
      }
      release.countDown();

      Set<Long> answered = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      while (answered.size() < requests && System.nanoTime() - deadline < 0) {
        buffer.clear();
        if (clients.receive(buffer) == null) {
          Thread.sleep(1);
          continue;
        }
        byte[] frame = Arrays.copyOf(buffer.array(), buffer.position());
        UnreplicatedMessage reply = Frames.decode(Unreplicated.PLAIN, frame, 0, frame.length);
        answered.add(((UnreplicatedMessage.Reply) reply).clientId());
      }
      assertThat(answered).hasSize(requests);
      assertThat(replica.mmsgStats())
          .as("one recvmmsg read them all, one sendmmsg sent every reply")
          .contains(new MmsgStats(1, requests, 1, requests));
      assertThat(replica.drops()).isEmpty();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
