package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.runtime.RuntimeFixtures.CountingDriver;
import oskr.runtime.udp.Transport;

/** Requests and replies of 200 KiB travel as fragments both ways, through the whole runtime. */
class LargeMessagesTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  void operationsAndResultsOf200KibRoundTrip(Transport transport) throws Exception {
    Config config = RuntimeFixtures.oneReplica();
    Bytes[] ops = new Bytes[2];
    Random random = new Random(3);
    for (int i = 0; i < ops.length; i++) {
      byte[] op = new byte[200 * 1024];
      random.nextBytes(op);
      ops[i] = Bytes.adopt(op);
    }
    CountingDriver driver = new CountingDriver(20, client -> ops[client], true);
    Options options = Options.defaults().withScheme(Scheme.ED25519);
    try (ReplicaHost replica =
            ReplicaHost.start(
                Unreplicated.SIGNED,
                config,
                0,
                RuntimeFixtures.replicaKeyring(Scheme.ED25519),
                App.stateless((opNumber, op) -> op),
                options,
                RuntimeOptions.defaults().withTransport(transport));
        ClientHost clients =
            ClientHost.start(
                Unreplicated.SIGNED,
                config,
                RuntimeFixtures.clientKeyring(Scheme.ED25519),
                options,
                ops.length,
                1,
                driver,
                transport)) {
      assertThat(driver.await(20)).as("20 large round trips").isTrue();
      assertThat(driver.wrong.get()).as("results equal their operations").isZero();
      assertThat(replica.failure()).isEmpty();
    }
  }
}
