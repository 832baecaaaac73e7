package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.pbft.PbftMessage.Reply;

/**
 * A PBFT client sends each request to the primary of the view that f+1 replicas' replies reached,
 * so one faulty replica cannot steer it (the simulated scenario is {@code
 * PbftByzantineTest#oneReplicaLyingAboutItsViewDoesNotSendRequestsDownTheResendPath}).
 */
class PbftClientViewTest {
  private static final Config CONFIG = ClientFixture.CONFIG;

  private final ClientFixture fixture = new ClientFixture(Options.defaults());
  private final RecordingContext<PbftMessage> context = fixture.context;
  private final List<Bytes> results = fixture.results;
  private final Crypto crypto = fixture.crypto;
  private final Client<PbftMessage> client = fixture.client;
  private long requestNumber;

  /**
   * Runs one operation; {@code views[i]} is the view in replica i's reply (-1: no reply), two
   * replies complete it.
   *
   * @return where the request went
   */
  private Address operation(long... views) {
    client.invoke(Bytes.utf8("op"));
    requestNumber++;
    context.runAllJobs(crypto);
    List<RecordingContext.Sent<PbftMessage>> sent = context.takeSent();
    assertThat(sent).hasSize(1);
    for (int replica = 0; replica < views.length; replica++) {
      if (views[replica] < 0) continue;
      Reply reply =
          new Reply(views[replica], 7, requestNumber, replica, Bytes.utf8("r"), Bytes.EMPTY);
      client.onMessage(CONFIG.replica(replica), reply);
    }
    assertThat(client.busy()).isFalse();
    return sent.get(0).to();
  }

  @Test
  void aClientMovesToAViewOnlyWhenFPlusOneRepliesReachIt() {
    assertThat(operation(0, -1, -1, 9)).isEqualTo(CONFIG.replica(0));
    // Only replica 3 replied from view 9: the client stays with primary 0.
    assertThat(operation(-1, -1, 5, 0)).isEqualTo(CONFIG.replica(0));
    // Replicas 2 and 3 replied from view 5 or later: f+1 vouch for 5, whose primary is replica 1.
    assertThat(operation(0, 0, 0, -1)).isEqualTo(CONFIG.replica(1));
    // Never back: replies from lower views do not move the client.
    assertThat(operation(0, 0, -1, -1)).isEqualTo(CONFIG.replica(1));
    assertThat(results).hasSize(4);
  }
}
