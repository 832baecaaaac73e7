package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.app.KvStore;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;

/**
 * What a faulty replica can do with a SPEC-RESPONSE under {@code hmac}, where the client checks a
 * response's MAC only and its signatures (the replica's on the batch, the primary's on the order)
 * only where a third party needs them: it can cost the fast path, never a result, a certificate or
 * the primary's view. Each run ends with the checks of {@link ZyzzyvaSimulationTest}.
 */
class ZyzzyvaResponseAuthTest {
  private static final int LIAR = 3;

  /**
   * Replica 3 answers every client with a history and a result of its own, correctly MACed and
   * batch-signed: the client never completes on it, never sends a proof of misbehaviour with the
   * primary's signature for another history (it checks the order first, drops and counts the
   * response), and completes each request on the slow path with the correct replicas' result.
   */
  @Test
  void aValidMacOnAWrongResultCostsOnlyTheFastPath() {
    Simulation<ZyzzyvaMessage> sim = ZyzzyvaSimulationTest.builder(5, Scheme.HMAC).build();
    Crypto liar = sim.crypto(sim.keys().replica(LIAR));
    Map<Long, Bytes> clientKeys = new HashMap<>();
    for (int i = 0; i < sim.clientCount(); i++) {
      clientKeys.put(sim.clientId(i), sim.crypto(sim.keys().client(i)).ownPublicKey());
    }
    Rewrite lies =
        Rewrite.messages(
            "replica 3 lies with valid MACs",
            Zyzzyva.INSTANCE,
            (packet, message, random) -> {
              if (!(message instanceof SpecResponse m) || m.replica() != LIAR) return message;
              Digest history = new Digest(m.seq(), m.requestNumber(), 7, 7);
              SpecResponse lie =
                  new SpecResponse(
                      m.view(),
                      m.seq(),
                      history,
                      m.clientId(),
                      m.requestNumber(),
                      Bytes.utf8("lie"),
                      LIAR,
                      m.orderAuth(),
                      Bytes.EMPTY,
                      Bytes.EMPTY);
              return lie.withAuths(
                  Auth.batchSignature(liar, m.view(), m.seq(), history),
                  Auth.responseAuth(liar, lie, clientKeys.get(m.clientId())));
            });
    sim.addFilter(lies);

    ZyzzyvaSimulationTest.runAndCheck(sim, Set.of(0, 1, 2));

    assertThat(lies.rewritten()).isGreaterThan(0);
    assertThat(sim.completedOperations(Completion.Path.FAST)).isZero();
    assertThat(sim.completedOperations(Completion.Path.SLOW)).isEqualTo(90);
    assertThat(clientDrops(sim, ZyzzyvaClient.BAD_ORDER_SIGNATURE)).isGreaterThan(0);
    for (int i = 0; i < 4; i++) {
      assertThat(ZyzzyvaSimulationTest.replica(sim, i).view()).as("replica %d", i).isZero();
    }
  }

  /**
   * n = 7, f = 2: replica 6 is down and replica 1 corrupts the batch signature of every response
   * (its MAC stays valid: the MAC does not cover it). Six responses match, one short of the fast
   * path; the client checks their batch signatures, drops and counts replica 1's, and builds its
   * certificate from five valid ones: no replica ever rejects a COMMIT.
   */
  @Test
  void aBadBatchSignatureIsDroppedAndTheCertificateBuiltWithoutIt() {
    Simulation<ZyzzyvaMessage> sim =
        Simulation.builder(Zyzzyva.INSTANCE, 6)
            .replicas(7, 2)
            .clients(2)
            .opsPerClient(10)
            .options(ZyzzyvaSimulationTest.options(Scheme.HMAC))
            .app(replica -> new KvStore())
            .build();
    sim.crash(sim.replicaAddress(6), true);
    sim.addFilter(
        Rewrite.messages(
            "replica 1 corrupts its batch signatures",
            Zyzzyva.INSTANCE,
            (packet, message, random) ->
                message instanceof SpecResponse m && m.replica() == 1
                    ? m.withAuths(flipFirstBit(m.batchAuth()), m.auth())
                    : message));

    ZyzzyvaSimulationTest.runAndCheck(sim, Set.of(0, 2, 3, 4, 5));

    assertThat(sim.completedOperations(Completion.Path.SLOW)).isEqualTo(20);
    assertThat(clientDrops(sim, ZyzzyvaClient.BAD_BATCH_SIGNATURE)).isGreaterThanOrEqualTo(20);
    for (int i = 0; i < 6; i++) {
      assertThat(
              sim.receiveDrops(sim.replicaAddress(i))
                  .get(Simulation.REJECTED + Certificates.BAD_CERT))
          .as("replica %d", i)
          .isZero();
    }
  }

  private static Bytes flipFirstBit(Bytes signature) {
    byte[] bytes = signature.toArray();
    bytes[0] ^= 1;
    return Bytes.adopt(bytes);
  }

  private static long clientDrops(Simulation<ZyzzyvaMessage> sim, String reason) {
    long total = 0;
    for (int i = 0; i < sim.clientCount(); i++) total += sim.client(i).drops().get(reason);
    return total;
  }
}
