package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * VIEW-CHANGE(v+1, n, C, P, Q, i), always signed: n is the sequence number of the sender's stable
 * checkpoint and C its proof (2f+1 CHECKPOINTs; empty for the initial state at 0). P holds, for
 * every sequence number above n at which the sender prepared a batch, what it prepared in the
 * highest view, with the batch.
 *
 * <p>With signatures (TOCS §4.4) each P entry is a prepared certificate (the signed PRE-PREPARE and
 * 2f matching signed PREPAREs) and Q is empty. With MACs (TOCS §5.2) PRE-PREPAREs and PREPAREs
 * convince only their receivers, so P entries are the sender's claims (an unsigned PRE-PREPARE, no
 * PREPAREs) and Q lists, per sequence number, the digests the sender pre-prepared with the latest
 * view of each; {@link NewViewPlan} then decides from 2f+1 such claims instead of certificates.
 */
record ViewChange(
    long newView,
    long stableSeq,
    List<Checkpoint> stableProof,
    List<ViewChange.PreparedProof> prepared,
    List<ViewChange.PrePrepared> prePrepared,
    int replica,
    Bytes auth)
    implements PbftMessage {
  static final int TAG = 7;

  /**
   * The most Q entries per sequence number (the latest views; see {@link Slot#notePrePrepared}).
   */
  static final int PRE_PREPARED_PER_SEQ_MAX = 4;

  /**
   * A P entry: with signatures a prepared certificate (the PRE-PREPARE and 2f PREPAREs of other
   * backups that match it), with MACs a claim (the PRE-PREPARE without auth, no PREPAREs).
   */
  public record PreparedProof(PrePrepare prePrepare, List<Prepare> prepares) {
    public PreparedProof {
      prepares = List.copyOf(prepares);
    }

    long seq() {
      return prePrepare.seq();
    }

    long view() {
      return prePrepare.view();
    }
  }

  /**
   * A Q entry (TOCS §5.2): the sender pre-prepared {@code digest} at {@code seq} in {@code view}.
   */
  public record PrePrepared(long seq, Digest digest, long view) {
    void encode(Writer out) {
      out.u64(seq).digest(digest).u64(view);
    }

    static PrePrepared decode(Reader in) throws MalformedMessage {
      return new PrePrepared(Codecs.seq(in), in.digest(), in.u64());
    }
  }

  public ViewChange {
    assert newView > 0 : newView; // pair: the decoder rejects newView == 0
    stableProof = List.copyOf(stableProof);
    prepared = List.copyOf(prepared);
    prePrepared = List.copyOf(prePrepared);
  }

  void encodeSigned(Writer out) {
    out.u8(TAG).u64(newView).u64(stableSeq);
    Codecs.checkpoints(out, stableProof);
    out.u32(prepared.size());
    for (PreparedProof proof : prepared) {
      proof.prePrepare().encode(out);
      Codecs.prepares(out, proof.prepares());
    }
    out.u32(prePrepared.size());
    for (PrePrepared entry : prePrepared) entry.encode(out);
    out.u8(replica);
  }

  void encode(Writer out) {
    encodeSigned(out);
    out.bytes(auth);
  }

  static ViewChange decode(Reader in) throws MalformedMessage {
    long newView = in.u64();
    if (newView == 0) throw MalformedMessage.of("ViewChange.newView");
    long stableSeq = in.u64();
    List<Checkpoint> stableProof = Codecs.checkpoints(in, Limits.REPLICAS_MAX);
    int count = in.count(WINDOW_MAX);
    List<PreparedProof> prepared = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      PrePrepare prePrepare = Codecs.prePrepare(in);
      prepared.add(new PreparedProof(prePrepare, Codecs.prepares(in, Limits.REPLICAS_MAX)));
    }
    count = in.count(WINDOW_MAX * PRE_PREPARED_PER_SEQ_MAX);
    List<PrePrepared> prePrepared = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) prePrepared.add(PrePrepared.decode(in));
    int replica = in.replicaIndex(Limits.REPLICAS_MAX);
    return new ViewChange(
        newView,
        stableSeq,
        stableProof,
        prepared,
        prePrepared,
        replica,
        in.bytes(Limits.SIGNATURE_MAX));
  }

  ViewChange withAuth(Bytes auth) {
    return new ViewChange(newView, stableSeq, stableProof, prepared, prePrepared, replica, auth);
  }
}
