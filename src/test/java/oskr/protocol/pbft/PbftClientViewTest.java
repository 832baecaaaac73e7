package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

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
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/**
 * A PBFT client sends each request to the primary of the view that f+1 replicas' replies reached,
 * so one faulty replica cannot steer it (the simulated scenario is {@code
 * PbftByzantineTest#oneReplicaLyingAboutItsViewDoesNotSendRequestsDownTheResendPath}).
 */
class PbftClientViewTest {
  private static final Config CONFIG = SimulationBuilder.replicaConfig(4, 1);

  private final RecordingContext<PbftMessage> context =
      new RecordingContext<>(new Address("10.0.0.9", 50000), CONFIG);
  private final List<Bytes> results = new ArrayList<>();
  private final Crypto crypto = new Crypto(new SimKeys(1, 4, Scheme.HMAC).client(0));
  private final Client<PbftMessage> client =
      Pbft.INSTANCE.client(
          new ClientSetup<>(
              CONFIG,
              7,
              Options.defaults().withScheme(Scheme.HMAC),
              context,
              (result, completion) -> results.add(result)));
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
