package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/**
 * A PBFT client resends an unanswered request to every replica, waiting twice as long before each
 * further resend (at most 8x), and starts again from the base timeout with its next request.
 */
class PbftClientResendTest {
  private static final Config CONFIG = SimulationBuilder.replicaConfig(4, 1);
  private static final Duration RESEND = Duration.ofMillis(200);

  private final RecordingContext<PbftMessage> context =
      new RecordingContext<>(new Address("10.0.0.9", 50000), CONFIG);
  private final List<Bytes> results = new ArrayList<>();
  private final Crypto crypto = new Crypto(new SimKeys(1, 4, Scheme.HMAC).client(0));
  private final Client<PbftMessage> client =
      Pbft.INSTANCE.client(
          new ClientSetup<>(
              CONFIG,
              7,
              Options.defaults().withScheme(Scheme.HMAC).withResendTimeout(RESEND),
              context,
              (result, completion) -> results.add(result)));

  private Duration armedResend() {
    return context.armedTimers().get(PbftTimer.RESEND);
  }


  @Test
  void eachResendWaitsTwiceAsLongUpToEightTimes() {
    client.invoke(Bytes.utf8("op"));
    context.runAllJobs(crypto);
    assertThat(context.takeSent()).hasSize(1); // to the primary
    assertThat(armedResend()).isEqualTo(RESEND);
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      client.onTimer(PbftTimer.RESEND);
      assertThat(context.takeSent()).as("resend %d goes to every replica", i).hasSize(4);
      waits.add(armedResend());
    }
    assertThat(waits)
        .containsExactly(
            RESEND.multipliedBy(2),
            RESEND.multipliedBy(4),
            RESEND.multipliedBy(8),
            RESEND.multipliedBy(8),
            RESEND.multipliedBy(8));
  }

  @Test
  void theNextRequestStartsFromTheBaseTimeout() {
    client.invoke(Bytes.utf8("first"));
    context.runAllJobs(crypto);
    client.onTimer(PbftTimer.RESEND);
    client.onTimer(PbftTimer.RESEND);
    assertThat(armedResend()).isEqualTo(RESEND.multipliedBy(4));
    for (int replica = 0; replica < 2; replica++) {
      client.onMessage(
          CONFIG.replica(replica),
          new PbftMessage.Reply(0, 7, 1, replica, Bytes.utf8("done"), Bytes.EMPTY));
    }
    assertThat(results).containsExactly(Bytes.utf8("done"));
    client.invoke(Bytes.utf8("second"));
    assertThat(armedResend()).isEqualTo(RESEND);
  }
}
