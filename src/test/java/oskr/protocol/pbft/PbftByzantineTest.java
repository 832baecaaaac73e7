package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Drops;
import oskr.protocol.Frames;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.sim.Filter;
import oskr.sim.Packet;
import oskr.sim.Rewrite;
import oskr.sim.SimKeys;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * Forged and corrupted authentication, on the simulator: replicas and clients reject it before the
 * protocol sees it, count it by reason, and the correct replicas still agree. (An equivocating
 * primary is {@link PbftSimulationTest#byzantinePrimaryEquivocatesAndIsReplaced}.)
 */
class PbftByzantineTest {
  private static long rejected(Simulation<PbftMessage> sim, Address at, String reason) {
    Drops drops = sim.receiveDrops(at);
    return drops.get(Simulation.REJECTED + reason);
  }

  /** Corrupted signatures on the way are {@code PbftSimulationTest}'s; here, forged senders. */
  @Test
  void forgedPreparesAreRejectedBeforeAnyReplicaSeesThem() {
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(32, 4, 1, Scheme.ED25519).clients(2).opsPerClient(20).build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(30));
    // A PREPARE claiming to be replica 1's, but signed by replica 2, from replica 1's address,
    // and one from a non-member address: rejected before any replica sees them.
    Config config = sim.config();
    Address target = config.replica(3);
    long badSignaturesBefore = rejected(sim, target, Pbft.BAD_SIGNATURE);
    Prepare forged = new Prepare(0, 1, Batches.NULL_DIGEST, 1, Bytes.EMPTY);
    forged = forged.withAuth(Auth.sign(new Crypto(sim.keys().replica(2)), forged::encodeSigned));
    sim.inject(config.replica(1), target, forged);
    sim.inject(new Address("10.6.6.6", 1), target, forged);
    sim.runFor(Duration.ofMillis(50));
    assertThat(rejected(sim, target, Pbft.BAD_SIGNATURE)).isEqualTo(badSignaturesBefore + 1);
    assertThat(rejected(sim, target, Pbft.WRONG_SENDER)).isEqualTo(1);
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
  }

  @Test
  void corruptedRequestAuthenticatorsAndReplyMacsAreIgnoredAndCounted() {
    // Every client's first attempt at each request reaches the primary with a corrupted MAC
    // for replica 0, and replica 3's replies reach clients with a corrupted MAC.
    Set<List<Long>> corrupted = new HashSet<>();
    Rewrite corrupt =
        Rewrite.messages(
            "corrupt first requests to the primary and replica 3's replies",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (message instanceof Request m
                  && packet.to().equals(SimulationBuilder.replicaAddress(0))
                  && corrupted.add(List.of(m.clientId(), m.requestNumber()))) {
                byte[] auth = m.auth().toArray();
                auth[3] ^= 1;
                return m.withAuth(m.clientKey(), Bytes.adopt(auth));
              }
              if (message instanceof Reply m && m.replica() == 3) {
                byte[] auth = m.auth().toArray();
                auth[0] ^= 1;
                return m.withAuth(Bytes.adopt(auth));
              }
              return message;
            });
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(33, 4, 1, Scheme.HMAC)
            .clients(2)
            .opsPerClient(10)
            .filter(corrupt)
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    assertThat(rejected(sim, sim.replicaAddress(0), Pbft.BAD_AUTHENTICATOR)).isGreaterThan(0);
    assertThat(rejected(sim, sim.clientAddress(0), Pbft.BAD_SIGNATURE)).isGreaterThan(0);
    // A request with no authenticator at all is dropped too.
    Request bare = new Request(77, 1, new Address("10.0.9.9", 1), Bytes.utf8("x"));
    sim.inject(bare.client(), sim.replicaAddress(1), bare);
    sim.runFor(Duration.ofMillis(20));
    assertThat(rejected(sim, sim.replicaAddress(1), Pbft.BAD_AUTHENTICATOR)).isEqualTo(1);
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
  }

  /**
   * Replica 3 lies about its view in every reply: it claims view 3, whose primary it is, and
   * ignores the requests it gets (it relays none). A client that moved to the view of any one reply
   * would send every request to the liar first, wait out its resend timeout and resend to every
   * replica; moving only to a view f+1 replicas vouch for, clients keep sending to primary 0 alone.
   */
  @Test
  void oneReplicaLyingAboutItsViewDoesNotSendRequestsDownTheResendPath() {
    long seed = 34;
    Crypto liar = new Crypto(new SimKeys(seed, 4, Scheme.ED25519).replica(3));
    Address liarAddress = SimulationBuilder.replicaAddress(3);
    Rewrite lie =
        Rewrite.messages(
            "replica 3 claims view 3 in its replies",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (!(message instanceof Reply m) || !packet.from().equals(liarAddress)) {
                return message;
              }
              Reply lying =
                  new Reply(3, m.clientId(), m.requestNumber(), 3, m.result(), Bytes.EMPTY);
              return lying.withAuth(Auth.replyAuth(liar, lying, Bytes.EMPTY));
            });
    ClientRequests requests = new ClientRequests(liarAddress);
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(seed, 4, 1, Scheme.ED25519)
            .clients(3)
            .opsPerClient(20)
            .filter(requests)
            .filter(lie)
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2), Duration.ofSeconds(60));
    assertThat(lie.rewritten()).as("the lie was told").isGreaterThanOrEqualTo(3 * 20);
    assertThat(requests.sentTo(1)).as("requests resent to every replica").isZero();
    assertThat(requests.sentTo(3)).as("requests sent to the liar").isZero();
    assertThat(requests.sentTo(0)).as("requests sent to primary 0").isEqualTo(3 * 20);
  }

  /**
   * Counts the requests clients send to each replica, and drops those reaching {@code ignoring}: a
   * Byzantine replica that ignores requests.
   */
  private static final class ClientRequests implements Filter {
    private final Address ignoring;
    private final long[] sentTo = new long[4];

    ClientRequests(Address ignoring) {
      this.ignoring = ignoring;
    }

    long sentTo(int replica) {
      return sentTo[replica];
    }

    @Override
    public void apply(Packet packet, Outlet out) {
      Config config = SimulationBuilder.replicaConfig(4, 1);
      Bytes frame = packet.frame();
      PbftMessage message;
      try {
        message = Frames.decode(Pbft.INSTANCE, frame.unsafeArray(), 0, frame.length());
      } catch (MalformedMessage e) {
        out.pass(packet);
        return;
      }
      if (message instanceof Request && config.indexOf(packet.from()) < 0) {
        sentTo[config.indexOf(packet.to())]++;
      }
      if (message instanceof Request && packet.to().equals(ignoring)) {
        out.drop(packet, "byzantine: ignores requests");
        return;
      }
      out.pass(packet);
    }

    @Override
    public String toString() {
      return "ClientRequests(ignored by " + ignoring + ")";
    }
  }
}
