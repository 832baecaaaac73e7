package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.PublicKeys;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Options;
import oskr.protocol.pbft.Pbft;
import oskr.runtime.udp.Transport;

/** PBFT on the real runtime: four replicas on loopback UDP, batches, every auth scheme. */
class PbftOverUdpTest {
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void fourReplicasServeClientsOverLoopback(Scheme scheme) throws Exception {
    serve(scheme, Transport.DEFAULT);
  }

  /**
   * On the mmsg transport a primary's broadcasts and a batch's replies leave through outboxes
   * (sendmmsg) and every replica reads with recvmmsg.
   */
  @Test
  void fourReplicasServeClientsOverTheMmsgTransport() throws Exception {
    serve(Scheme.HMAC, Transport.MMSG);
  }

  /** The transport before the batched ones, kept selectable for comparison. */
  @Test
  void fourReplicasServeClientsOverNio() throws Exception {
    serve(Scheme.HMAC, Transport.NIO);
  }

  private void serve(Scheme scheme, Transport transport) throws Exception {
    List<Address> addresses = new ArrayList<>();
    for (int i = 0; i < 4; i++) addresses.add(new Address(RuntimeFixtures.LOOPBACK, freePort()));
    Config config = Config.of(1, addresses);
    List<PublicKeys> publicKeys = new ArrayList<>();
    for (int i = 0; i < 4; i++) publicKeys.add(RuntimeFixtures.replicaKey(i).publicKeys());
    Options options = Options.defaults().withScheme(scheme).withBatchSizeMax(10);
    List<ReplicaHost> replicas = new ArrayList<>();
    RuntimeFixtures.CountingDriver driver =
        new RuntimeFixtures.CountingDriver(300, client -> Bytes.utf8("op" + client), false);
    try {
      for (int i = 0; i < 4; i++) {
        SigningKey key = RuntimeFixtures.replicaKey(i);
        Keyring keyring = new Keyring(scheme, publicKeys, Optional.of(key));
        replicas.add(
            ReplicaHost.start(
                Pbft.INSTANCE,
                config,
                i,
                keyring,
                RuntimeFixtures.NULL_APP,
                options,
                RuntimeOptions.defaults().withTransport(transport)));
      }
      Keyring clientKeyring =
          Keyring.forClient(scheme, publicKeys, SigningKey.derive(new byte[] {7}));
      try (ClientHost clients =
          ClientHost.start(
              Pbft.INSTANCE, config, clientKeyring, options, 8, 1, driver, transport)) {
        assertThat(driver.await(30)).as("300 operations through PBFT").isTrue();
        assertThat(clients.failure()).isEmpty();
      }
      for (ReplicaHost replica : replicas) {
        assertThat(replica.failure()).isEmpty();
        assertThat(replica.drops()).doesNotContainKeys("send: error", "receive: error");
        assertThat(replica.mmsgStats().isPresent()).isEqualTo(transport.batchesSystemCalls());
        replica
            .mmsgStats()
            .ifPresent(
                stats -> {
                  // Each step of the normal case broadcasts to 3 replicas in one sendmmsg
                  // (PREPARE, COMMIT) or sends a batch's replies together.
                  assertThat(stats.sentDatagrams())
                      .as(stats.toString())
                      .isGreaterThan(stats.sendCalls() * 3 / 2);
                  assertThat(stats.receivedDatagrams())
                      .as(stats.toString())
                      .isGreaterThanOrEqualTo(stats.receiveCalls());
                });
      }
    } finally {
      for (ReplicaHost replica : replicas) replica.close();
    }
  }

  private static int freePort() throws IOException {
    return RuntimeFixtures.freePort();
  }
}
