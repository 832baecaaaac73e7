package oskr.protocol.pbft;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.protocol.Randomness;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;

/**
 * A test adapter whose one behaviour, {@link Behaviour#EQUIVOCATE}, makes a Byzantine replica lie
 * to clients: every reply it sends carries a made-up result, signed with its own key so that it
 * passes {@link Pbft#verify}; its other messages stay correct. Only a client that trusts fewer than
 * f+1 matching replies can be fooled.
 */
final class LyingReplies implements ByzantineAdapter<PbftMessage> {
  static final String FORGED = "forged by replica ";

  @Override
  public Set<Behaviour> behaviours() {
    return EnumSet.of(Behaviour.EQUIVOCATE);
  }

  @Override
  public PbftMessage rewrite(
      Behaviour behaviour,
      PbftMessage message,
      int replica,
      Address to,
      Crypto crypto,
      Randomness random) {
    if (!(message instanceof Reply reply)) return message;
    Reply forged =
        new Reply(
            reply.view(),
            reply.clientId(),
            reply.requestNumber(),
            reply.replica(),
            Bytes.utf8(FORGED + replica),
            Bytes.EMPTY);
    return forged.withAuth(Auth.replyAuth(crypto, forged, Bytes.EMPTY));
  }
}
