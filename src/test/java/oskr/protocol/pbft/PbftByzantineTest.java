package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;

/** A faulty replica (at most f = 1) lies; the correct ones agree, and it gets replaced. */
class PbftByzantineTest {
  @Test
  void equivocatingPrimaryIsReplacedAndNoTwoCorrectReplicasCommitDifferentBatches() {
    Net net = new Net(31, 1, PbftFaultTest.options(), true);
    Crypto primaryCrypto = net.cryptoOf(0);
    List<Long> equivocated = new ArrayList<>();
    // In view 0, replica 0 sends backups 2 and 3 each a batch of its own for every sequence
    // number, backup 1 the real one: no batch can gather 2f matching PREPAREs.
    net.interceptor =
        (from, to, message) -> {
          int backup = net.config.indexOf(to);
          if (message instanceof PrePrepare m
              && from.equals(net.config.replica(0))
              && m.view() == 0
              && backup >= 2) {
            equivocated.add(m.seq());
            Bytes op = Bytes.utf8("forged-" + backup + "-" + m.seq());
            Request forged = new Request(666, m.seq(), from, op);
            List<Request> batch = List.of(forged);
            PrePrepare other =
                new PrePrepare(
                    m.view(), m.seq(), Batches.digest(batch, primaryCrypto), batch, Bytes.EMPTY);
            return List.of(other.withAuth(Auth.sign(primaryCrypto, other::encodeSigned)));
          }
          return List.of(message);
        };
    Workload workload = new Workload(net, 3, 30);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    assertThat(equivocated).isNotEmpty();
    Workload.checkAgreement(net, 1, 2, 3);
    for (int i = 1; i < 4; i++) {
      assertThat(net.apps.get(i).history()).noneMatch(op -> op.utf8String().startsWith("forged"));
    }
    // Nothing prepared in view 0, the clients' requests timed out: the view changed away from
    // the equivocator, and the correct replicas agree on the view.
    assertThat(net.replica(1).view()).isPositive();
    assertThat(net.replica(2).view()).isEqualTo(net.replica(1).view());
  }

  @Test
  void forgedAndCorruptedSignaturesAreIgnoredAndCounted() {
    Net net = new Net(32, 1, PbftFaultTest.options(), true);
    // Replica 2's PREPAREs reach the others with a flipped signature bit.
    net.interceptor =
        (from, to, message) -> {
          if (message instanceof Prepare m && m.replica() == 2) {
            byte[] auth = m.auth().toArray();
            auth[5] ^= 1;
            return List.of(m.withAuth(Bytes.adopt(auth)));
          }
          return List.of(message);
        };
    Workload workload = new Workload(net, 2, 20);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(30))).isTrue();
    // A PREPARE claiming to be replica 1's, but signed by replica 2, from replica 2's address,
    // and one from a non-member address: rejected before any replica sees them.
    Prepare forged = new Prepare(0, 1, Batches.NULL_DIGEST, 1, Bytes.EMPTY);
    forged = forged.withAuth(Auth.sign(net.cryptoOf(2), forged::encodeSigned));
    net.inject(net.config.replica(1), net.config.replica(3), net.frameOf(forged).toArray());
    net.inject(new Address("10.6.6.6", 1), net.config.replica(3), net.frameOf(forged).toArray());
    net.runFor(Duration.ofMillis(50));
    long badSignatures = 0;
    for (int i = 0; i < 4; i++)
      badSignatures += net.replicas.get(i).rejected.get(Pbft.BAD_SIGNATURE);
    assertThat(badSignatures).isGreaterThan(20);
    assertThat(net.replicas.get(3).rejected.get(Pbft.WRONG_SENDER)).isEqualTo(1);
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }

  @Test
  void corruptedRequestAuthenticatorsAndReplyMacsAreIgnoredAndCounted() {
    Options options = PbftFaultTest.options().withScheme(Scheme.HMAC);
    Net net = new Net(33, 1, options, true);
    // Every client's first attempt at each request reaches the primary with a corrupted MAC
    // for replica 0, and replica 3's replies reach clients with a corrupted MAC.
    java.util.Set<Long> corrupted = new java.util.HashSet<>();
    net.interceptor =
        (from, to, message) -> {
          if (message instanceof Request m
              && to.equals(net.config.replica(0))
              && corrupted.add(m.clientId() * 1_000_000 + m.requestNumber())) {
            byte[] auth = m.auth().toArray();
            auth[3] ^= 1;
            return List.of(m.withAuth(m.clientKey(), Bytes.adopt(auth)));
          }
          if (message instanceof PbftMessage.Reply m && m.replica() == 3) {
            byte[] auth = m.auth().toArray();
            auth[0] ^= 1;
            return List.of(m.withAuth(Bytes.adopt(auth)));
          }
          return List.of(message);
        };
    Workload workload = new Workload(net, 2, 10);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    assertThat(net.replicas.get(0).rejected.get(Pbft.BAD_AUTHENTICATOR)).isGreaterThan(0);
    long badReplies =
        net.endpoints.get(workload.client(0).address).rejected.get(Pbft.BAD_SIGNATURE);
    assertThat(badReplies).isGreaterThan(0);
    // A request with no authenticator at all is dropped too.
    Request bare = new Request(77, 1, new Address("10.0.9.9", 1), Bytes.utf8("x"));
    net.inject(bare.client(), net.config.replica(1), net.frameOf(bare).toArray());
    net.runFor(Duration.ofMillis(20));
    assertThat(net.replicas.get(1).rejected.get(Pbft.BAD_AUTHENTICATOR)).isEqualTo(1);
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }
}
