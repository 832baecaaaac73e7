package oskr.protocol.unreplicated;

import java.util.EnumSet;
import java.util.Set;
import oskr.app.KvResult;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.Randomness;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;

/**
 * A test-only adapter that exercises the adapter path on Unreplicated-signed's replies, where a
 * Byzantine server lies outside Unreplicated's fault model: {@link Behaviour#CORRUPT_AUTH} breaks
 * the signature and keeps the rest (a correct client rejects it), {@link Behaviour#EQUIVOCATE}
 * tells some clients that a read found nothing and signs that lie with the server's own key (no
 * client can tell, so the checkers must).
 */
final class UnreplicatedByzantineAdapter implements ByzantineAdapter<UnreplicatedMessage> {
  @Override
  public Set<Behaviour> behaviours() {
    return EnumSet.of(Behaviour.CORRUPT_AUTH, Behaviour.EQUIVOCATE);
  }

  @Override
  public UnreplicatedMessage rewrite(
      Behaviour behaviour,
      UnreplicatedMessage message,
      int replica,
      Address to,
      Crypto crypto,
      Randomness random) {
    if (!(message instanceof Reply reply)) return message;
    return switch (behaviour) {
      case CORRUPT_AUTH -> {
        byte[] signature = reply.signature().toArray();
        signature[random.nextInt(signature.length)] ^= (byte) (1 + random.nextInt(255));
        yield reply.withSignature(Bytes.adopt(signature));
      }
      case EQUIVOCATE -> equivocate(reply, to, crypto);
      default -> throw new IllegalArgumentException("not adapted: " + behaviour);
    };
  }

  /** Clients split by their host name hear the truth, or that every read found nothing. */
  private static Reply equivocate(Reply reply, Address to, Crypto crypto) {
    boolean lied = (to.host().hashCode() & 1) == 0;
    Bytes empty = KvResult.GetResult.absent().encode();
    if (!lied || reply.result().length() == 0 || reply.result().get(0) != 1) return reply;
    if (reply.result().equals(empty)) return reply;
    return Unreplicated.sign(
        new Reply(reply.clientId(), reply.requestNumber(), empty, Bytes.EMPTY), crypto);
  }
}
