package oskr.protocol.zyzzyva;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.Randomness;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/**
 * Zyzzyva's Byzantine behaviours. A faulty replica re-signs with its own key whatever it changes,
 * so only the content lies. Equivocation: as primary, a different history per receiver (a batch
 * with its last request dropped, chained correctly, so the receiver accepts a fork); as any
 * replica, votes and checkpoints for a receiver-specific history. Lying digests: histories and
 * results that match nothing; VIEW-CHANGEs that claim their history was adopted in the latest view
 * possible. A false view claims a later one; a corrupted authenticator flips one signature bit (of
 * a SPEC-RESPONSE: its auth or its batch signature, which only a certificate checks).
 */
final class ZyzzyvaAdapter implements ByzantineAdapter<ZyzzyvaMessage> {
  static final ZyzzyvaAdapter INSTANCE = new ZyzzyvaAdapter();

  private ZyzzyvaAdapter() {}

  @Override
  public Set<Behaviour> behaviours() {
    return EnumSet.of(
        Behaviour.EQUIVOCATE, Behaviour.LIE_DIGEST, Behaviour.FALSE_VIEW, Behaviour.CORRUPT_AUTH);
  }

  @Override
  public ZyzzyvaMessage rewrite(
      Behaviour behaviour,
      ZyzzyvaMessage message,
      int replica,
      Address to,
      Crypto crypto,
      Randomness random) {
    return switch (behaviour) {
      case EQUIVOCATE -> equivocate(message, to, crypto);
      case LIE_DIGEST -> lie(message, crypto, random);
      case FALSE_VIEW -> laterView(message, crypto);
      case CORRUPT_AUTH -> corruptAuth(message, random);
      default -> throw new IllegalArgumentException("not a Zyzzyva behaviour: " + behaviour);
    };
  }

  private static Digest storyFor(Address to, long salt) {
    return new Digest(to.hashCode(), to.port(), salt, 0x5eed);
  }

  private static ZyzzyvaMessage equivocate(ZyzzyvaMessage message, Address to, Crypto crypto) {
    return switch (message) {
      case OrderReq m -> {
        if (m.batch().isEmpty() || to.port() % 2 == 0) yield m;
        List<Request> batch = new ArrayList<>(m.batch());
        batch.removeLast();
        Digest batchDigest = Codecs.batchDigest(batch, crypto.sha256(), new Writer(256));
        Digest digest = Codecs.historyDigest(m.previousDigest(), batchDigest, crypto.sha256());
        yield order(
            new OrderReq(m.view(), m.seq(), m.previousDigest(), digest, batch, m.auth()), crypto);
      }
      case Vote m ->
          vote(new Vote(m.view(), m.seq(), storyFor(to, m.seq()), m.replica(), m.auth()), crypto);
      case Checkpoint m ->
          checkpoint(
              new Checkpoint(
                  m.seq(), storyFor(to, m.seq()), m.stateDigest(), m.replica(), m.auth()),
              crypto);
      default -> message;
    };
  }

  private static ZyzzyvaMessage lie(ZyzzyvaMessage message, Crypto crypto, Randomness random) {
    Digest lie = new Digest(random.nextLong(), random.nextLong(), random.nextLong(), 1);
    return switch (message) {
      case OrderReq m ->
          order(
              new OrderReq(m.view(), m.seq(), m.previousDigest(), lie, m.batch(), m.auth()),
              crypto);
      case SpecResponse m ->
          response(
              new SpecResponse(
                  m.view(),
                  m.seq(),
                  lie,
                  m.clientId(),
                  m.requestNumber(),
                  Bytes.utf8("lie " + lie),
                  m.replica(),
                  m.orderAuth(),
                  m.batchAuth(),
                  m.auth()),
              crypto);
      case Vote m -> vote(new Vote(m.view(), m.seq(), lie, m.replica(), m.auth()), crypto);
      case Checkpoint m ->
          checkpoint(new Checkpoint(m.seq(), lie, lie, m.replica(), m.auth()), crypto);
      case ViewChange m ->
          viewChange(
              new ViewChange(
                  m.newView(),
                  m.newView() - 1,
                  m.checkpoint(),
                  m.cert(),
                  m.entries(),
                  m.replica(),
                  m.auth()),
              crypto);
      default -> message;
    };
  }

  private static ZyzzyvaMessage laterView(ZyzzyvaMessage message, Crypto crypto) {
    return switch (message) {
      case OrderReq m ->
          order(
              new OrderReq(
                  m.view() + 1,
                  m.seq(),
                  m.previousDigest(),
                  m.historyDigest(),
                  m.batch(),
                  m.auth()),
              crypto);
      case SpecResponse m ->
          response(
              new SpecResponse(
                  m.view() + 1,
                  m.seq(),
                  m.historyDigest(),
                  m.clientId(),
                  m.requestNumber(),
                  m.result(),
                  m.replica(),
                  m.orderAuth(),
                  m.batchAuth(),
                  m.auth()),
              crypto);
      case Vote m ->
          vote(new Vote(m.view() + 1, m.seq(), m.historyDigest(), m.replica(), m.auth()), crypto);
      default -> message;
    };
  }

  private static ZyzzyvaMessage corruptAuth(ZyzzyvaMessage message, Randomness random) {
    return switch (message) {
      // With HMAC, either the signature (its receivers accept the order on the MACs: the
      // signature fails where it is evidence) or the authenticator.
      case OrderReq m ->
          random.nextInt(2) == 0 || m.macs().length() == 0
              ? m.withAuth(flip(m.auth(), random), m.macs())
              : m.withAuth(m.auth(), flip(m.macs(), random));
      case SpecResponse m ->
          random.nextInt(2) == 0
              ? m.withAuth(flip(m.auth(), random))
              : m.withAuths(flip(m.batchAuth(), random), m.auth());
      case Vote m -> m.withAuth(flip(m.auth(), random));
      case Checkpoint m -> m.withAuth(flip(m.auth(), random));
      case ViewChange m -> m.withAuth(flip(m.auth(), random));
      case ZyzzyvaMessage.NewView m -> m.withAuth(flip(m.auth(), random));
      case ZyzzyvaMessage.LocalCommit m -> m.withAuth(flip(m.auth(), random));
      default -> message;
    };
  }

  private static Bytes flip(Bytes auth, Randomness random) {
    if (auth.length() == 0) return auth;
    byte[] bytes = auth.toArray();
    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    return Bytes.adopt(bytes);
  }

  private static OrderReq order(OrderReq m, Crypto crypto) {
    return Auth.authenticateOrder(crypto, m);
  }

  /**
   * A changed response signed anew: its batch signature, and under a signature scheme its auth.
   * With HMAC the old MAC stays (the faulty replica does not know the client's key here), so the
   * client drops the response; a valid MAC on a wrong result is what the signature targets show.
   */
  private static SpecResponse response(SpecResponse m, Crypto crypto) {
    Bytes batchAuth = Auth.batchSignature(crypto, m.view(), m.seq(), m.historyDigest());
    if (crypto.scheme() == oskr.core.crypto.Scheme.HMAC) return m.withAuths(batchAuth, m.auth());
    return m.withAuths(batchAuth, Auth.sign(crypto, m::encodeSigned));
  }

  private static Vote vote(Vote m, Crypto crypto) {
    return m.withAuth(
        Auth.sign(crypto, out -> Codecs.voteStatement(out, m.view(), m.seq(), m.historyDigest())));
  }

  private static Checkpoint checkpoint(Checkpoint m, Crypto crypto) {
    return m.withAuth(Auth.sign(crypto, m::encodeSigned));
  }

  private static ViewChange viewChange(ViewChange m, Crypto crypto) {
    return m.withAuth(Auth.sign(crypto, m::encodeSigned));
  }
}
