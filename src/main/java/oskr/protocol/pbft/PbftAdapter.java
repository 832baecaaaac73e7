package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.Randomness;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * PBFT's Byzantine behaviours: a faulty replica re-signs with its own key whatever it changes, so
 * only the content lies. Equivocation sends different batches (as primary), digests or checkpoint
 * digests to different nodes; lying digests do not match their batch or any; a false view claims a
 * later one; a corrupted authenticator flips one bit of a well-formed message's signature.
 */
final class PbftAdapter implements ByzantineAdapter<PbftMessage> {
  static final PbftAdapter INSTANCE = new PbftAdapter();

  private PbftAdapter() {}

  @Override
  public Set<Behaviour> behaviours() {
    return EnumSet.of(
        Behaviour.EQUIVOCATE, Behaviour.LIE_DIGEST, Behaviour.FALSE_VIEW, Behaviour.CORRUPT_AUTH);
  }

  @Override
  public PbftMessage rewrite(
      Behaviour behaviour,
      PbftMessage message,
      int replica,
      Address to,
      Crypto crypto,
      Randomness random) {
    return switch (behaviour) {
      case EQUIVOCATE -> equivocate(message, to, crypto);
      case LIE_DIGEST -> lieAboutDigests(message, crypto, random);
      case FALSE_VIEW -> claimLaterView(message, crypto, random);
      case CORRUPT_AUTH -> corruptAuth(message, random);
      default -> throw new IllegalArgumentException("not a PBFT-specific behaviour: " + behaviour);
    };
  }

  /** A digest that depends on the receiver, so each one hears its own story. */
  private static Digest storyFor(Address to, long salt) {
    return new Digest(to.hashCode(), to.port(), salt, 0x5eed);
  }

  private static PbftMessage equivocate(PbftMessage message, Address to, Crypto crypto) {
    return switch (message) {
      case PrePrepare m -> {
        // A batch of its own per receiver: the last request dropped, or a request made up.
        List<Request> batch = new ArrayList<>(m.batch());
        if (!batch.isEmpty() && to.port() % 2 == 0) {
          batch.remove(batch.size() - 1);
        } else {
          Bytes op = Bytes.utf8("equivocated " + to + " " + m.seq());
          batch.add(new Request(-1, m.seq(), to, op, Bytes.EMPTY, Bytes.EMPTY));
        }
        Digest digest = Pbft.batchDigest(batch, crypto);
        yield Pbft.resign(new PrePrepare(m.view(), m.seq(), digest, batch, m.auth()), crypto);
      }
      case Prepare m ->
          Pbft.resign(
              new Prepare(m.view(), m.seq(), storyFor(to, m.seq()), m.replica(), m.auth()), crypto);
      case Commit m ->
          Pbft.resign(
              new Commit(m.view(), m.seq(), storyFor(to, m.seq()), m.replica(), m.auth()), crypto);
      case Checkpoint m ->
          Pbft.resign(
              new Checkpoint(m.seq(), storyFor(to, m.seq()), m.replica(), m.auth()), crypto);
      default -> message;
    };
  }

  private static PbftMessage lieAboutDigests(
      PbftMessage message, Crypto crypto, Randomness random) {
    Digest lie = new Digest(random.nextLong(), random.nextLong(), random.nextLong(), 1);
    return switch (message) {
      case PrePrepare m ->
          Pbft.resign(new PrePrepare(m.view(), m.seq(), lie, m.batch(), m.auth()), crypto);
      case Prepare m ->
          Pbft.resign(new Prepare(m.view(), m.seq(), lie, m.replica(), m.auth()), crypto);
      case Commit m ->
          Pbft.resign(new Commit(m.view(), m.seq(), lie, m.replica(), m.auth()), crypto);
      case Checkpoint m -> Pbft.resign(new Checkpoint(m.seq(), lie, m.replica(), m.auth()), crypto);
      case ViewChange m -> Pbft.resign(claimMadeUpBatches(m, crypto), crypto);
      default -> message;
    };
  }

  private static final Address MADE_UP_CLIENT = new Address("127.0.0.1", 1);

  /**
   * A VIEW-CHANGE whose every P entry claims a made-up batch prepared in the latest view possible,
   * with Q entries to match. Certificates cannot back such claims (the VIEW-CHANGE is rejected);
   * with MACs they are accepted as claims and the NEW-VIEW decision must not choose them.
   */
  private static ViewChange claimMadeUpBatches(ViewChange m, Crypto crypto) {
    List<PreparedProof> claims = new ArrayList<>();
    List<PrePrepared> prePrepared = new ArrayList<>();
    long view = m.newView() - 1;
    for (PreparedProof proof : m.prepared()) {
      long seq = proof.prePrepare().seq();
      Bytes op = Bytes.utf8("made up by " + m.replica() + " at " + seq);
      List<Request> batch =
          List.of(new Request(-1, seq, MADE_UP_CLIENT, op, Bytes.EMPTY, Bytes.EMPTY));
      Digest digest = Pbft.batchDigest(batch, crypto);
      PrePrepare claim = new PrePrepare(view, seq, digest, batch, Bytes.EMPTY);
      claims.add(new PreparedProof(claim, List.of()));
      prePrepared.add(new PrePrepared(seq, digest, view));
    }
    return new ViewChange(
        m.newView(), m.stableSeq(), m.stableProof(), claims, prePrepared, m.replica(), m.auth());
  }

  private static PbftMessage claimLaterView(PbftMessage message, Crypto crypto, Randomness random) {
    long ahead = 1 + random.nextInt(3);
    return switch (message) {
      case PrePrepare m ->
          Pbft.resign(
              new PrePrepare(m.view() + ahead, m.seq(), m.digest(), m.batch(), m.auth()), crypto);
      case Prepare m ->
          Pbft.resign(
              new Prepare(m.view() + ahead, m.seq(), m.digest(), m.replica(), m.auth()), crypto);
      case Commit m ->
          Pbft.resign(
              new Commit(m.view() + ahead, m.seq(), m.digest(), m.replica(), m.auth()), crypto);
      case Reply m -> {
        // Signed anew, so the client's verify passes and its view rule (f+1 replicas) is what
        // resists the lie; with MACs the adapter lacks the client's key and verify rejects it.
        Reply lie =
            new Reply(
                m.view() + ahead,
                m.clientId(),
                m.requestNumber(),
                m.replica(),
                m.result(),
                m.retryFrom(),
                Bytes.EMPTY);
        yield lie.withAuth(Auth.replyAuth(crypto, lie, Bytes.EMPTY));
      }
      case ViewChange m ->
          Pbft.resign(
              new ViewChange(
                  m.newView() + ahead,
                  m.stableSeq(),
                  m.stableProof(),
                  m.prepared(),
                  m.prePrepared(),
                  m.replica(),
                  m.auth()),
              crypto);
      default -> message;
    };
  }

  private static PbftMessage corruptAuth(PbftMessage message, Randomness random) {
    return switch (message) {
      case PrePrepare m ->
          new PrePrepare(m.view(), m.seq(), m.digest(), m.batch(), flip(m.auth(), random));
      case Prepare m ->
          new Prepare(m.view(), m.seq(), m.digest(), m.replica(), flip(m.auth(), random));
      case Commit m ->
          new Commit(m.view(), m.seq(), m.digest(), m.replica(), flip(m.auth(), random));
      case Checkpoint m ->
          new Checkpoint(m.seq(), m.stateDigest(), m.replica(), flip(m.auth(), random));
      case Reply m ->
          new Reply(
              m.view(),
              m.clientId(),
              m.requestNumber(),
              m.replica(),
              m.result(),
              flip(m.auth(), random));
      case ViewChange m ->
          new ViewChange(
              m.newView(),
              m.stableSeq(),
              m.stableProof(),
              m.prepared(),
              m.prePrepared(),
              m.replica(),
              flip(m.auth(), random));
      case NewView m ->
          new NewView(m.view(), m.viewChanges(), m.prePrepares(), flip(m.auth(), random));
      case Request m -> m;
      case FetchState m -> m;
      case StateChunk m -> m;
      case FetchLog m -> m;
      case CommittedProof m -> m;
      case Reject m ->
          new Reject(
              m.view(), m.seq(), m.digest(), m.unverified(), m.replica(), flip(m.auth(), random));
    };
  }

  private static Bytes flip(Bytes auth, Randomness random) {
    if (auth.length() == 0) return Bytes.utf8("x");
    byte[] bytes = auth.toArray();
    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    return Bytes.adopt(bytes);
  }
}
