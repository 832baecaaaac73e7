package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * A Byzantine replica (with its own key): as primary it sends each backup a different batch for
 * every sequence number; as backup it sends PREPAREs and COMMITs for digests nobody proposed.
 */
final class Equivocator implements Net.Interceptor {
  private final Net net;
  private final int replica;
  private final Crypto crypto;

  Equivocator(Net net, int replica) {
    this.net = net;
    this.replica = replica;
    this.crypto = net.cryptoOf(replica);
  }

  @Override
  public List<PbftMessage> intercept(Address from, Address to, PbftMessage message) {
    if (!from.equals(net.config.replica(replica))) return List.of(message);
    int target = net.config.indexOf(to);
    return switch (message) {
      case PrePrepare m when target > 0 && target % 2 == 0 -> List.of(forge(m, target));
      case Prepare m -> {
        Prepare lie =
            new Prepare(
                m.view(), m.seq(), new oskr.core.Digest(target, 0, 0, 0), m.replica(), Bytes.EMPTY);
        yield List.of(lie.withAuth(Auth.sign(crypto, lie::encodeSigned)));
      }
      case Commit m -> {
        Commit lie =
            new Commit(
                m.view(), m.seq(), new oskr.core.Digest(target, 1, 0, 0), m.replica(), Bytes.EMPTY);
        yield List.of(lie.withAuth(Auth.sign(crypto, lie::encodeSigned)));
      }
      default -> List.of(message);
    };
  }

  private PrePrepare forge(PrePrepare m, int target) {
    Bytes op = Bytes.utf8("forged-" + target + "-" + m.view() + "-" + m.seq());
    List<Request> batch = List.of(new Request(666, m.seq(), net.config.replica(replica), op));
    PrePrepare other =
        new PrePrepare(m.view(), m.seq(), Batches.digest(batch, crypto), batch, Bytes.EMPTY);
    return other.withAuth(Auth.sign(crypto, other::encodeSigned));
  }
}
