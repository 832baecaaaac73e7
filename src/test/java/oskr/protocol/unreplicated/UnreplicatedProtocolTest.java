package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.CLIENT_A;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.CONFIG;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.SERVER;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.clientCrypto;
import static oskr.protocol.unreplicated.UnreplicatedReplicaTest.serverCrypto;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.RecordingContext.Sent;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/** The stateless verify step, the protocol's metadata, and a client and server wired together. */
class UnreplicatedProtocolTest {
  private static String rejectionOf(Unreplicated protocol, UnreplicatedMessage message, Crypto c) {
    try {
      protocol.verify(message, SERVER, CONFIG, c);
      throw new AssertionError("accepted " + message);
    } catch (Rejected e) {
      return e.reason();
    }
  }

  private static Reply genuine(Scheme scheme) {
    Reply unsigned = new Reply(3, 4, Bytes.utf8("result"), Bytes.EMPTY);
    return Unreplicated.sign(unsigned, serverCrypto(scheme));
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void signedVariantAcceptsAGenuineReply(Scheme scheme) {
    Reply reply = genuine(scheme);
    assertThatCode(() -> Unreplicated.SIGNED.verify(reply, SERVER, CONFIG, clientCrypto(scheme)))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void signedVariantRejectsAForgedReply(Scheme scheme) {
    Reply reply = genuine(scheme);
    Crypto client = clientCrypto(scheme);
    List<Reply> forgeries =
        List.of(
            new Reply(
                reply.clientId(), reply.requestNumber(), Bytes.utf8("resulT"), reply.signature()),
            new Reply(
                reply.clientId() + 1, reply.requestNumber(), reply.result(), reply.signature()),
            new Reply(
                reply.clientId(), reply.requestNumber() + 1, reply.result(), reply.signature()),
            reply.withSignature(Bytes.EMPTY));
    for (Reply forgery : forgeries) {
      assertThat(rejectionOf(Unreplicated.SIGNED, forgery, client))
          .as(forgery.toString())
          .isEqualTo("bad reply signature");
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void signedVariantRejectsAReplySignedByAnotherKey(Scheme scheme) {
    SigningKey impostor = SigningKey.derive("impostor".getBytes());
    Crypto impostorCrypto =
        new Crypto(new Keyring(scheme, List.of(impostor.publicKeys()), Optional.of(impostor)));
    Reply forged =
        Unreplicated.sign(new Reply(3, 4, Bytes.utf8("result"), Bytes.EMPTY), impostorCrypto);
    assertThat(rejectionOf(Unreplicated.SIGNED, forged, clientCrypto(scheme)))
        .isEqualTo("bad reply signature");
  }

  @Test
  void plainVariantRejectsAReplyCarryingASignatureAndAcceptsOneWithout() throws Rejected {
    Crypto client = clientCrypto(Scheme.SECP256K1);
    assertThat(rejectionOf(Unreplicated.PLAIN, genuine(Scheme.SECP256K1), client))
        .isEqualTo("signature on a plain reply");
    Unreplicated.PLAIN.verify(new Reply(3, 4, Bytes.EMPTY, Bytes.EMPTY), SERVER, CONFIG, client);
  }

  @Test
  void requestsAreNotAuthenticated() throws Rejected {
    Crypto client = clientCrypto(Scheme.ED25519);
    for (Unreplicated protocol : List.of(Unreplicated.PLAIN, Unreplicated.SIGNED)) {
      protocol.verify(new Request(1, 1, Bytes.EMPTY), CLIENT_A, CONFIG, client);
    }
  }

  @Test
  void theTwoVariantsHaveDistinctNamesAndIds() {
    assertThat(Unreplicated.PLAIN.name()).isEqualTo("unreplicated");
    assertThat(Unreplicated.SIGNED.name()).isEqualTo("unreplicated-signed");
    assertThat(Unreplicated.PLAIN.id()).isNotEqualTo(Unreplicated.SIGNED.id());
    assertThat(Unreplicated.PLAIN.usesSignatures()).isFalse();
    assertThat(Unreplicated.SIGNED.usesSignatures()).isTrue();
    assertThat(Unreplicated.SIGNED.signed()).isTrue();
  }

  @Test
  void checkConfigWantsExactlyOneReplica() throws ConfigException {
    Unreplicated.PLAIN.checkConfig(CONFIG, "one.config");
    Config two = Config.of(0, List.of(SERVER, new Address("10.0.0.5", 7001)));
    assertThatThrownBy(() -> Unreplicated.SIGNED.checkConfig(two, "two.config"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "two.config: unreplicated-signed runs one replica and tolerates no fault: the config"
                + " must say f 0 and list one replica (it says f 0 and lists 2)");
    Config faultTolerant = Config.of(1, List.of(SERVER));
    assertThatThrownBy(() -> Unreplicated.PLAIN.checkConfig(faultTolerant, "f1.config"))
        .isInstanceOf(ConfigException.class)
        .hasMessageEndingWith("(it says f 1 and lists 1)");
  }

  /**
   * A client and the signed server exchanging real frames: every message is encoded, decoded and
   * verified on the way, jobs run with the server's crypto, timers never fire.
   */
  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aClientCompletesOperationsAgainstTheSignedServerOverFrames(Scheme scheme) throws Exception {
    Address clientAddress = new Address("10.0.0.7", 41000);
    RecordingContext<UnreplicatedMessage> serverContext = new RecordingContext<>(SERVER, CONFIG);
    RecordingContext<UnreplicatedMessage> clientContext =
        new RecordingContext<>(clientAddress, CONFIG);
    var app = new UnreplicatedReplicaTest.CountingApp();
    Replica<UnreplicatedMessage> server =
        Unreplicated.SIGNED.replica(
            new ReplicaSetup<>(CONFIG, 0, app, Options.defaults(), serverContext));
    List<Bytes> results = new ArrayList<>();
    Client<UnreplicatedMessage> client =
        Unreplicated.SIGNED.client(
            new ClientSetup<>(
                CONFIG,
                5,
                Options.defaults(),
                clientContext,
                (result, completion) -> results.add(result)));
    Crypto serverCrypto = serverCrypto(scheme);
    Crypto clientCrypto = clientCrypto(scheme);

    for (int operation = 1; operation <= 20; operation++) {
      client.invoke(Bytes.utf8("op" + operation));
      for (Sent<UnreplicatedMessage> sent : clientContext.takeSent()) {
        assertThat(sent.to()).isEqualTo(SERVER);
        server.onMessage(clientAddress, overTheWire(sent.message(), serverCrypto, clientAddress));
      }
      serverContext.runAllJobs(serverCrypto);
      for (Sent<UnreplicatedMessage> sent : serverContext.takeSent()) {
        assertThat(sent.to()).isEqualTo(clientAddress);
        client.onMessage(SERVER, overTheWire(sent.message(), clientCrypto, SERVER));
      }
      assertThat(client.busy()).isFalse();
      assertThat(results.getLast()).isEqualTo(Bytes.utf8("op" + operation + "@" + operation));
    }
    assertThat(results).hasSize(20);
    assertThat(server.drops().total()).isZero();
    assertThat(client.drops().total()).isZero();
  }

  /** Encodes, decodes and verifies as the runtime's receive path does. */
  private static UnreplicatedMessage overTheWire(
      UnreplicatedMessage message, Crypto receiver, Address from)
      throws MalformedMessage, Rejected {
    Writer out = new Writer();
    Frames.encode(Unreplicated.SIGNED, message, out);
    UnreplicatedMessage decoded =
        Frames.decode(Unreplicated.SIGNED, out.buffer(), 0, out.position());
    Unreplicated.SIGNED.verify(decoded, from, CONFIG, receiver);
    return decoded;
  }
}
