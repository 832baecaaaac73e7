package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * A PBFT client sends its operation again under a new request number only once f+1 replicas refused
 * the request with the same number to retry from (see {@link ClientRecords}), so one faulty replica
 * cannot make it re-issue an operation that executed.
 */
class PbftClientRefusalTest {
  private static final Config CONFIG = ClientFixture.CONFIG;
  private static final Bytes OP = Bytes.utf8("op");

  private final ClientFixture fixture = new ClientFixture(Options.defaults());
  private final RecordingContext<PbftMessage> context = fixture.context;
  private final List<Bytes> results = fixture.results;
  private final Crypto crypto = fixture.crypto;
  private final Client<PbftMessage> client = fixture.client;

  private static Reply refusal(int replica, long requestNumber, long retryFrom) {
    return new Reply(0, 7, requestNumber, replica, Bytes.EMPTY, retryFrom, Bytes.EMPTY);
  }

  private void deliver(Reply reply) {
    client.onMessage(CONFIG.replica(reply.replica()), reply);
  }

  private List<Request> sentRequests() {
    context.runAllJobs(crypto);
    List<Request> sent = new ArrayList<>();
    for (RecordingContext.Sent<PbftMessage> each : context.takeSent()) {
      sent.add((Request) each.message());
    }
    return sent;
  }

  @Test
  void fPlusOneMatchingRefusalsSendTheOperationAgainUnderTheNumberNamed() {
    client.invoke(OP);
    assertThat(sentRequests()).extracting(Request::requestNumber).containsExactly(1L);
    deliver(refusal(3, 1, 50)); // one faulty replica alone
    deliver(refusal(2, 1, 40)); // another number to retry from: no match
    assertThat(sentRequests()).isEmpty();
    deliver(refusal(1, 1, 40));
    List<Request> again = sentRequests();
    assertThat(again).extracting(Request::requestNumber).containsExactly(40L);
    assertThat(again.get(0).op()).isEqualTo(OP);
    assertThat(results).isEmpty();
    for (int replica = 0; replica < 2; replica++) {
      deliver(new Reply(0, 7, 40, replica, Bytes.utf8("done"), Bytes.EMPTY));
    }
    assertThat(results).containsExactly(Bytes.utf8("done"));
    client.invoke(OP);
    assertThat(sentRequests()).extracting(Request::requestNumber).containsExactly(41L);
  }

  @Test
  void aResultAndARefusalDoNotMatch() {
    client.invoke(OP);
    sentRequests();
    deliver(refusal(3, 1, 9));
    deliver(new Reply(0, 7, 1, 0, Bytes.EMPTY, Bytes.EMPTY)); // an empty result
    assertThat(results).isEmpty();
    assertThat(sentRequests()).isEmpty();
    assertThat(client.busy()).isTrue();
  }
}
