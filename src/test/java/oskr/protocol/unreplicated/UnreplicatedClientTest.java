package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.CONFIG;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.SERVER;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.RecordingContext.Sent;
import oskr.protocol.TimerKey;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

class UnreplicatedClientTest {
  private static final Address SELF = new Address("10.0.0.9", 50000);
  private static final long CLIENT_ID = 9;
  private static final Duration RESEND = Duration.ofMillis(300);
  private static final Bytes OP = Bytes.utf8("op");

  private final RecordingContext<UnreplicatedMessage> context =
      new RecordingContext<>(SELF, CONFIG);
  private final List<Bytes> results = new ArrayList<>();
  private final Client<UnreplicatedMessage> client =
      Unreplicated.PLAIN.client(
          new ClientSetup<>(
              CONFIG,
              CLIENT_ID,
              Options.defaults().withResendTimeout(RESEND),
              context,
              (result, completion) -> results.add(result)));

  private static Reply reply(long clientId, long requestNumber, String result) {
    return new Reply(clientId, requestNumber, Bytes.utf8(result), Bytes.EMPTY);
  }

  /** The one timer the client armed. */
  private TimerKey resendTimer() {
    assertThat(context.armedTimers()).hasSize(1);
    return context.armedTimers().keySet().iterator().next();
  }

  @Test
  void invokeSendsRequestOneToTheServerAndArmsTheResendTimer() {
    client.invoke(OP);
    assertThat(client.busy()).isTrue();
    assertThat(context.sent()).containsExactly(new Sent<>(SERVER, new Request(CLIENT_ID, 1, OP)));
    assertThat(context.armedTimers()).containsValue(RESEND);
  }

  @Test
  void resendsTheSameRequestOnEachTimeout() {
    client.invoke(OP);
    TimerKey timer = resendTimer();
    client.onTimer(timer);
    client.onTimer(timer);
    Request request = new Request(CLIENT_ID, 1, OP);
    assertThat(context.sentMessages()).containsExactly(request, request, request);
    assertThat(context.timersSet()).hasSize(3).containsOnly(timer);
    assertThat(context.armedTimers()).containsEntry(timer, RESEND);
    assertThat(results).isEmpty();
  }

  @Test
  void acceptsTheReplyToItsOutstandingRequestOnce() {
    client.invoke(OP);
    TimerKey timer = resendTimer();
    client.onMessage(SERVER, reply(CLIENT_ID, 1, "done"));
    assertThat(results).containsExactly(Bytes.utf8("done"));
    assertThat(client.busy()).isFalse();
    assertThat(context.armedTimers()).as("the resend timer is cancelled").isEmpty();

    client.onMessage(SERVER, reply(CLIENT_ID, 1, "done")); // a duplicate
    client.onTimer(timer); // a timer that fired while the reply was on its way
    assertThat(results).hasSize(1);
    assertThat(context.sent()).hasSize(1);
    assertThat(client.drops().get(UnreplicatedClient.NOT_OUTSTANDING)).isEqualTo(1);
  }

  @Test
  void requestNumbersGrowByOnePerOperation() {
    for (int operation = 1; operation <= 3; operation++) {
      client.invoke(OP);
      assertThat(((Request) context.sentMessages().getLast()).requestNumber()).isEqualTo(operation);
      client.onMessage(SERVER, reply(CLIENT_ID, operation, "r" + operation));
    }
    assertThat(results).containsExactly(Bytes.utf8("r1"), Bytes.utf8("r2"), Bytes.utf8("r3"));
  }

  @Test
  void ignoresAndCountsAReplyFromAnotherAddress() {
    client.invoke(OP);
    client.onMessage(new Address("10.0.0.66", 7001), reply(CLIENT_ID, 1, "spoofed"));
    client.onMessage(new Address(SERVER.host(), SERVER.port() + 1), reply(CLIENT_ID, 1, "port"));
    assertThat(results).isEmpty();
    assertThat(client.busy()).isTrue();
    assertThat(client.drops().get(UnreplicatedClient.NOT_FROM_SERVER)).isEqualTo(2);
  }

  @Test
  void ignoresAndCountsAReplyForAnotherClient() {
    client.invoke(OP);
    client.onMessage(SERVER, reply(CLIENT_ID + 1, 1, "not mine"));
    assertThat(results).isEmpty();
    assertThat(client.busy()).isTrue();
    assertThat(client.drops().get(UnreplicatedClient.OTHER_CLIENT)).isEqualTo(1);
  }

  @Test
  void ignoresAndCountsRepliesToOlderOrNewerRequestNumbers() {
    client.invoke(OP);
    client.onMessage(SERVER, reply(CLIENT_ID, 1, "first"));
    client.invoke(OP);
    client.onMessage(SERVER, reply(CLIENT_ID, 1, "first again"));
    client.onMessage(SERVER, reply(CLIENT_ID, 3, "from the future"));
    assertThat(results).containsExactly(Bytes.utf8("first"));
    assertThat(client.busy()).isTrue();
    assertThat(client.drops().get(UnreplicatedClient.NOT_OUTSTANDING)).isEqualTo(2);
    client.onMessage(SERVER, reply(CLIENT_ID, 2, "second"));
    assertThat(results).containsExactly(Bytes.utf8("first"), Bytes.utf8("second"));
  }

  @Test
  void aRequestSentToTheClientIsCounted() {
    client.onMessage(SERVER, new Request(1, 1, OP));
    assertThat(client.drops().get(UnreplicatedClient.REQUEST_AT_CLIENT)).isEqualTo(1);
    assertThat(context.sent()).isEmpty();
  }

  @Test
  void invokingWhileBusyIsACallerBug() {
    client.invoke(OP);
    assertThatThrownBy(() -> client.invoke(OP)).isInstanceOf(IllegalStateException.class);
    assertThat(context.sent()).hasSize(1);
  }

  @Test
  void aRefusalSendsTheOperationAgainUnderTheNumberNamed() {
    client.invoke(OP);
    client.onMessage(SERVER, new Reply(CLIENT_ID, 1, Bytes.EMPTY, 7, Bytes.EMPTY));
    assertThat(results).isEmpty();
    assertThat(client.busy()).isTrue();
    assertThat(context.sentMessages())
        .containsExactly(new Request(CLIENT_ID, 1, OP), new Request(CLIENT_ID, 7, OP));
    client.onMessage(SERVER, reply(CLIENT_ID, 7, "done"));
    assertThat(results).containsExactly(Bytes.utf8("done"));
    client.invoke(OP);
    assertThat(context.sentMessages().getLast()).isEqualTo(new Request(CLIENT_ID, 8, OP));
  }
}
