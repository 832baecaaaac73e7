package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.Rejected;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;

/**
 * ORDER-REQ authentication under {@code hmac}: a backup accepts the primary's MAC for it instead of
 * checking the primary's signature, falls back to the signature when the MAC is missing or wrong,
 * and accepts MACs from the primary of the order's view only.
 */
class ZyzzyvaOrderAuthTest {
  private final Simulation<ZyzzyvaMessage> sim =
      ZyzzyvaSimulationTest.builder(7, Scheme.HMAC).build();
  private final Crypto primary = sim.crypto(sim.keys().replica(0));
  private final Crypto backup = sim.crypto(sim.keys().replica(1));

  @Test
  void theAuthenticatorConvincesABackupWithoutTheSignature() throws Rejected {
    OrderReq order = Auth.authenticateOrder(primary, unsignedOrder(primary));
    assertThat(order.macs().length()).isEqualTo(4 * 32);

    verifyAtBackup(order);
    verifyAtBackup(order.withAuth(flip(order.auth()), order.macs()));
  }

  @Test
  void withoutAGoodMacTheSignatureMustCheck() throws Rejected {
    OrderReq order = Auth.authenticateOrder(primary, unsignedOrder(primary));

    verifyAtBackup(order.withAuth(order.auth(), Bytes.EMPTY));
    verifyAtBackup(order.withAuth(order.auth(), flipBackupsEntry(order.macs())));
    assertRejected(order.withAuth(flip(order.auth()), flipBackupsEntry(order.macs())));
    assertRejected(order.withAuth(flip(order.auth()), Bytes.EMPTY));
  }

  @Test
  void macsOfAReplicaThatIsNotThePrimaryDoNotCount() {
    Crypto other = sim.crypto(sim.keys().replica(2));
    OrderReq byOther = Auth.authenticateOrder(other, unsignedOrder(other));
    assertRejected(byOther);
    // The primary's signature with another replica's MACs: only the signature counts.
    OrderReq signed = Auth.authenticateOrder(primary, unsignedOrder(primary));
    assertRejected(signed.withAuth(flip(signed.auth()), byOther.macs()));
  }

  @Test
  void signatureSchemesSendNoAuthenticator() {
    Simulation<ZyzzyvaMessage> signed = ZyzzyvaSimulationTest.builder(7, Scheme.ED25519).build();
    Crypto crypto = signed.crypto(signed.keys().replica(0));
    assertThat(Auth.authenticateOrder(crypto, unsignedOrder(crypto)).macs().length()).isZero();
  }

  /**
   * The primary signs every ORDER-REQ badly behind good MACs: backups accept the orders on the MACs
   * and every request completes on the fast path. The bad signatures travel only into
   * SPEC-RESPONSEs, where nothing acts on them while the primary does not equivocate.
   */
  @Test
  void aPrimaryThatSignsBadlyBehindGoodMacsStillServes() {
    Rewrite badSignatures =
        Rewrite.messages(
            "the primary signs its orders badly",
            Zyzzyva.INSTANCE,
            (packet, message, random) ->
                message instanceof OrderReq m && m.macs().length() > 0
                    ? m.withAuth(flip(m.auth()), m.macs())
                    : message);
    sim.addFilter(badSignatures);

    ZyzzyvaSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3));

    assertThat(badSignatures.rewritten()).isGreaterThan(0);
    assertThat(sim.completedOperations(Completion.Path.FAST)).isEqualTo(90);
    for (int i = 1; i < 4; i++) {
      assertThat(
              sim.receiveDrops(sim.replicaAddress(i))
                  .get(Simulation.REJECTED + Zyzzyva.BAD_SIGNATURE))
          .as("replica %d", i)
          .isZero();
    }
  }

  private OrderReq unsignedOrder(Crypto signer) {
    Request request =
        Auth.authenticate(
            sim.crypto(sim.keys().client(0)),
            new Request(sim.clientId(0), 1, sim.clientAddress(0), Bytes.utf8("op")),
            4);
    List<Request> batch = List.of(request);
    Digest batchDigest = Codecs.batchDigest(batch, signer.sha256(), new Writer(256));
    Digest history = Codecs.historyDigest(Digest.ZERO, batchDigest, signer.sha256());
    return new OrderReq(0, 1, Digest.ZERO, history, batch, Bytes.EMPTY);
  }

  private void verifyAtBackup(OrderReq order) throws Rejected {
    Zyzzyva.INSTANCE.verify(order, sim.replicaAddress(0), sim.config(), backup);
  }

  private void assertRejected(OrderReq order) {
    assertThatThrownBy(() -> verifyAtBackup(order))
        .isInstanceOf(Rejected.class)
        .hasMessage(Zyzzyva.BAD_SIGNATURE);
  }

  /** The authenticator with replica 1's entry (the backup's) changed, the others intact. */
  private static Bytes flipBackupsEntry(Bytes macs) {
    byte[] bytes = macs.toArray();
    bytes[32] ^= 1;
    return Bytes.adopt(bytes);
  }

  private static Bytes flip(Bytes auth) {
    byte[] bytes = auth.toArray();
    bytes[bytes.length - 1] ^= 1;
    return Bytes.adopt(bytes);
  }
}
