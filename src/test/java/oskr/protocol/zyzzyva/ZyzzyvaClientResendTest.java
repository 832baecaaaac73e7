package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/** The client's resend timer, driven by hand on a {@link RecordingContext}. */
class ZyzzyvaClientResendTest {
  private static final Config CONFIG = SimulationBuilder.replicaConfig(4, 1);
  private static final Duration RESEND = Duration.ofMillis(200);

  private final RecordingContext<ZyzzyvaMessage> context =
      new RecordingContext<>(new Address("10.0.0.9", 50000), CONFIG);
  private final Crypto crypto = new Crypto(new SimKeys(1, 4, Scheme.HMAC).client(0));
  private final Client<ZyzzyvaMessage> client =
      Zyzzyva.INSTANCE.client(
          new ClientSetup<>(
              CONFIG,
              7,
              Options.defaults().withScheme(Scheme.HMAC).withResendTimeout(RESEND),
              context,
              (result, completion) -> {}));

  /** An overloaded client may run its timer before its signing job: replicas would drop it. */
  @Test
  void aRequestIsNeverSentBeforeItIsAuthenticated() {
    client.invoke(Bytes.utf8("op"));
    client.onTimer(ZyzzyvaTimer.RESEND);
    assertThat(context.takeSent()).isEmpty();
    assertThat(context.armedTimers()).containsKey(ZyzzyvaTimer.RESEND);
    context.runAllJobs(crypto);
    assertThat(context.takeSent()).hasSize(1); // to the primary
    client.onTimer(ZyzzyvaTimer.RESEND);
    var resent = context.takeSent();
    assertThat(resent).hasSize(4); // to every replica
    for (var sent : resent) {
      assertThat(((ZyzzyvaMessage.Request) sent.message()).auth().length()).isPositive();
    }
  }
}
