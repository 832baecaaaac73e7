package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;

/**
 * A Byzantine replica (with its own key), as a filter on what it sends: as primary it sends each
 * even-numbered backup a different batch for every sequence number; as backup it sends PREPAREs
 * and COMMITs for digests nobody proposed. Its lies carry valid authentication, so only the
 * protocol, not verification, can stop them.
 */
final class Equivocator {
  private Equivocator() {}

  static Rewrite of(Simulation<PbftMessage> sim, int replica) {
    Config config = sim.config();
    Crypto crypto = new Crypto(sim.keys().replica(replica));
    return Rewrite.messages(
        "replica " + replica + " equivocates",
        Pbft.INSTANCE,
        (packet, message, random) -> {
          if (!packet.from().equals(config.replica(replica))) return message;
          int target = config.indexOf(packet.to());
          return switch (message) {
            case PrePrepare m when target > 0 && target % 2 == 0 ->
                forge(m, target, config, replica, crypto);
            case Prepare m -> {
              Digest nobodyProposed = new Digest(target, 0, 0, 0);
              Prepare lie =
                  new Prepare(m.view(), m.seq(), nobodyProposed, m.replica(), Bytes.EMPTY);
              yield lie.withAuth(Auth.agreementAuth(crypto, lie::encodeSigned));
            }
            case Commit m -> {
              Digest nobodyProposed = new Digest(target, 1, 0, 0);
              Commit lie = new Commit(m.view(), m.seq(), nobodyProposed, m.replica(), Bytes.EMPTY);
              yield lie.withAuth(Auth.agreementAuth(crypto, lie::encodeSigned));
            }
            default -> message;
          };
        });
  }

  private static PrePrepare forge(
      PrePrepare m, int target, Config config, int replica, Crypto crypto) {
    Bytes op = Bytes.utf8("forged-" + target + "-" + m.view() + "-" + m.seq());
    List<Request> batch = List.of(new Request(666, m.seq(), config.replica(replica), op));
    PrePrepare other =
        new PrePrepare(m.view(), m.seq(), Batches.digest(batch, crypto), batch, Bytes.EMPTY);
    return other.withAuth(Auth.agreementAuth(crypto, other::encodeSigned));
  }
}
