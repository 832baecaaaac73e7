package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;

/**
 * A PBFT client resends an unanswered request to every replica, waiting twice as long before each
 * further resend (at most 8x), and starts again from the base timeout with its next request.
 */
class PbftClientResendTest {
  private static final Config CONFIG = ClientFixture.CONFIG;
  private static final Duration RESEND = Duration.ofMillis(200);

  private final ClientFixture fixture =
      new ClientFixture(Options.defaults().withResendTimeout(RESEND));
  private final RecordingContext<PbftMessage> context = fixture.context;
  private final List<Bytes> results = fixture.results;
  private final Crypto crypto = fixture.crypto;
  private final Client<PbftMessage> client = fixture.client;

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

  @Test
  void aRequestIsNeverResentBeforeItIsAuthenticated() {
    client.invoke(Bytes.utf8("op"));
    client.onTimer(PbftTimer.RESEND); // the signing job has not run yet
    assertThat(context.takeSent()).isEmpty();
    assertThat(armedResend()).isEqualTo(RESEND.multipliedBy(2));
    context.runAllJobs(crypto);
    assertThat(context.takeSent()).hasSize(1); // to the primary, authenticated
    client.onTimer(PbftTimer.RESEND);
    List<RecordingContext.Sent<PbftMessage>> resent = context.takeSent();
    assertThat(resent).hasSize(4);
    for (var sent : resent) {
      assertThat(((PbftMessage.Request) sent.message()).auth().length()).isPositive();
    }
  }
}
