package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.ClientTable;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.RecordingContext.Sent;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

class UnreplicatedReplicaTest {
  static final Address SERVER = new Address("10.0.0.1", 7001);
  static final Address CLIENT_A = new Address("10.0.0.2", 40000);
  static final Address CLIENT_B = new Address("10.0.0.3", 40000);
  static final Config CONFIG = Config.of(0, List.of(SERVER));
  static final SigningKey SERVER_KEY = SigningKey.derive("unreplicated server".getBytes());

  /** Executes "op" as "op@opNumber" and remembers every execution, in order. */
  static final class CountingApp implements App {
    final List<String> executed = new ArrayList<>();

    @Override
    public Bytes execute(long opNumber, Bytes op) {
      String execution = op.utf8String() + "@" + opNumber;
      executed.add(execution);
      return Bytes.utf8(execution);
    }

    @Override
    public Snapshot snapshot() {
      throw new UnsupportedOperationException("Unreplicated takes no checkpoints");
    }

    @Override
    public SnapshotSink snapshotSink() {
      throw new UnsupportedOperationException("Unreplicated transfers no state");
    }
  }

  private final CountingApp app = new CountingApp();
  private final RecordingContext<UnreplicatedMessage> context =
      new RecordingContext<>(SERVER, CONFIG);

  private Replica<UnreplicatedMessage> replica(Unreplicated protocol) {
    return protocol.replica(new ReplicaSetup<>(CONFIG, 0, app, Options.defaults(), context));
  }

  static Crypto serverCrypto(Scheme scheme) {
    return new Crypto(
        new Keyring(scheme, List.of(SERVER_KEY.publicKeys()), Optional.of(SERVER_KEY)));
  }

  static Crypto clientCrypto(Scheme scheme) {
    return new Crypto(Keyring.forClient(scheme, List.of(SERVER_KEY.publicKeys())));
  }

  private static Request request(long clientId, long requestNumber, String op) {
    return new Request(clientId, requestNumber, Bytes.utf8(op));
  }

  private static Reply reply(long clientId, long requestNumber, String result) {
    return new Reply(clientId, requestNumber, Bytes.utf8(result), Bytes.EMPTY);
  }

  @Test
  void executesRequestsInArrivalOrderAndRepliesToTheSender() {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.PLAIN);
    replica.onMessage(CLIENT_A, request(1, 1, "a1"));
    replica.onMessage(CLIENT_B, request(2, 1, "b1"));
    replica.onMessage(CLIENT_A, request(1, 2, "a2"));
    assertThat(app.executed).containsExactly("a1@1", "b1@2", "a2@3");
    assertThat(context.sent())
        .containsExactly(
            new Sent<>(CLIENT_A, reply(1, 1, "a1@1")),
            new Sent<>(CLIENT_B, reply(2, 1, "b1@2")),
            new Sent<>(CLIENT_A, reply(1, 2, "a2@3")));
    assertThat(context.pendingJobs()).isZero();
    assertThat(replica.drops().total()).isZero();
    assertThat(((UnreplicatedReplica) replica).opNumber()).isEqualTo(3);
  }

  @Test
  void aRetriedRequestGetsTheCachedReplyAndIsNotExecutedAgain() {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.PLAIN);
    replica.onMessage(CLIENT_A, request(1, 1, "once"));
    replica.onMessage(CLIENT_A, request(1, 1, "once"));
    replica.onMessage(CLIENT_B, request(1, 1, "once")); // the client moved to another port
    assertThat(app.executed).containsExactly("once@1");
    assertThat(context.sent())
        .containsExactly(
            new Sent<>(CLIENT_A, reply(1, 1, "once@1")),
            new Sent<>(CLIENT_A, reply(1, 1, "once@1")),
            new Sent<>(CLIENT_B, reply(1, 1, "once@1")));
    assertThat(replica.drops().total()).isZero();
  }

  @Test
  void anOlderRequestIsIgnoredAndCounted() {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.PLAIN);
    replica.onMessage(CLIENT_A, request(1, 2, "second"));
    context.takeSent();
    replica.onMessage(CLIENT_A, request(1, 1, "first"));
    assertThat(app.executed).containsExactly("second@1");
    assertThat(context.sent()).isEmpty();
    assertThat(replica.drops().get(UnreplicatedReplica.STALE_REQUEST)).isEqualTo(1);
    assertThat(replica.drops().total()).isEqualTo(1);
  }

  @Test
  void aReplySentToTheReplicaIsCounted() {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.PLAIN);
    replica.onMessage(CLIENT_A, reply(1, 1, "forged"));
    assertThat(app.executed).isEmpty();
    assertThat(context.sent()).isEmpty();
    assertThat(replica.drops().get(UnreplicatedReplica.REPLY_AT_REPLICA)).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void theSignedReplyIsSignedInAJobAndVerifiesWithTheServersKey(Scheme scheme) throws Exception {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.SIGNED);
    replica.onMessage(CLIENT_A, request(1, 1, "op"));
    assertThat(app.executed).containsExactly("op@1"); // executed now, in arrival order
    assertThat(context.sent()).as("nothing leaves before it is signed").isEmpty();
    assertThat(context.pendingJobs()).isEqualTo(1);

    context.runNextJob(serverCrypto(scheme));
    assertThat(context.sent()).hasSize(1);
    Sent<UnreplicatedMessage> sent = context.sent().getFirst();
    assertThat(sent.to()).isEqualTo(CLIENT_A);
    Reply signed = (Reply) sent.message();
    assertThat(signed.result()).isEqualTo(Bytes.utf8("op@1"));
    assertThat(signed.signature().length()).isEqualTo(64);

    Crypto client = clientCrypto(scheme);
    Writer covered = new Writer();
    signed.encodeSigned(covered);
    assertThat(client.verify(0, covered.buffer(), 0, covered.position(), signed.signature()))
        .isTrue();
    Unreplicated.SIGNED.verify(signed, SERVER, CONFIG, client); // throws Rejected if not
  }

  @Test
  void aRetryWhileSigningIsCountedAndAfterSigningGetsTheSameSignedReply() {
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.SIGNED);
    replica.onMessage(CLIENT_A, request(1, 1, "op"));
    replica.onMessage(CLIENT_A, request(1, 1, "op"));
    assertThat(replica.drops().get(UnreplicatedReplica.REQUEST_IN_PROGRESS)).isEqualTo(1);
    assertThat(context.pendingJobs()).isEqualTo(1);
    context.runAllJobs(serverCrypto(Scheme.SECP256K1));
    replica.onMessage(CLIENT_A, request(1, 1, "op"));
    assertThat(context.pendingJobs()).as("the cached reply is not signed again").isZero();
    assertThat(app.executed).containsExactly("op@1");
    List<UnreplicatedMessage> replies = context.sentMessages();
    assertThat(replies).hasSize(2);
    assertThat(replies.get(1)).isEqualTo(replies.get(0));
  }

  @Test
  void aSignedReplyOvertakenByTheClientsNextRequestIsDroppedNotACrash() {
    // A client that does not wait (buggy, Byzantine, or restarted with the same id) sends
    // request 2 while request 1 is being signed: peer input must never trip an assertion.
    Replica<UnreplicatedMessage> replica = replica(Unreplicated.SIGNED);
    replica.onMessage(CLIENT_A, request(1, 1, "first"));
    replica.onMessage(CLIENT_A, request(1, 2, "second"));
    assertThat(app.executed).containsExactly("first@1", "second@2");
    Crypto crypto = serverCrypto(Scheme.ED25519);
    context.runNextJob(crypto);
    assertThat(replica.drops().get(UnreplicatedReplica.REPLY_OVERTAKEN)).isEqualTo(1);
    assertThat(context.sent()).isEmpty();
    context.runNextJob(crypto);
    assertThat(context.sentMessages()).hasSize(1);
    assertThat(((Reply) context.sentMessages().getFirst()).requestNumber()).isEqualTo(2);
    replica.onMessage(CLIENT_A, request(1, 2, "second"));
    assertThat(context.sentMessages()).hasSize(2).allMatch(m -> ((Reply) m).requestNumber() == 2);
  }

  /**
   * With room for one client, a late copy of an evicted client's request is refused, not executed
   * again; a retry of it gets the same refusal; the operation goes through under the number named.
   */
  @Test
  void anEvictedClientsLateRequestIsRefusedAndItsRetryFromTheNamedNumberExecutes() {
    Replica<UnreplicatedMessage> replica =
        new UnreplicatedReplica(
            new ReplicaSetup<>(CONFIG, 0, app, Options.defaults(), context),
            false,
            new ClientTable<>(1));
    replica.onMessage(CLIENT_A, request(1, 1, "a1"));
    replica.onMessage(CLIENT_B, request(2, 1, "b1")); // evicts client 1
    context.takeSent();
    replica.onMessage(CLIENT_A, request(1, 1, "a1"));
    replica.onMessage(CLIENT_A, request(1, 1, "a1"));
    Reply refusal = new Reply(1, 1, Bytes.EMPTY, 2, Bytes.EMPTY);
    assertThat(context.takeSent())
        .containsExactly(new Sent<>(CLIENT_A, refusal), new Sent<>(CLIENT_A, refusal));
    assertThat(replica.drops().get(UnreplicatedReplica.REFUSED)).isEqualTo(1);
    replica.onMessage(CLIENT_A, request(1, 2, "a1"));
    assertThat(app.executed).containsExactly("a1@1", "b1@2", "a1@3");
  }
}
