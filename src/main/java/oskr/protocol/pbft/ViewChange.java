package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * VIEW-CHANGE(v+1, n, C, P, i) of TOCS §4.4: n is the sequence number of the sender's stable
 * checkpoint and C its proof (2f+1 CHECKPOINTs; empty for the initial state at 0); P holds, for
 * every sequence number above n at which the sender prepared a batch, the prepared certificate of
 * the highest view (the PRE-PREPARE with its batch and 2f matching PREPAREs).
 */
public record ViewChange(
    long newView,
    long stableSeq,
    List<Checkpoint> stableProof,
    List<ViewChange.PreparedProof> prepared,
    int replica,
    Bytes auth)
    implements PbftMessage {
  static final int TAG = 7;

  /** A prepared certificate: the PRE-PREPARE and 2f PREPAREs of other backups that match it. */
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

  public ViewChange {
    assert newView > 0 : newView; // pair: the decoder rejects newView == 0
    stableProof = List.copyOf(stableProof);
    prepared = List.copyOf(prepared);
  }

  void encodeSigned(Writer out) {
    out.u8(TAG).u64(newView).u64(stableSeq);
    Codecs.checkpoints(out, stableProof);
    out.u32(prepared.size());
    for (PreparedProof proof : prepared) {
      proof.prePrepare().encode(out);
      Codecs.prepares(out, proof.prepares());
    }
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
    int replica = in.replicaIndex(Limits.REPLICAS_MAX);
    return new ViewChange(
        newView, stableSeq, stableProof, prepared, replica, in.bytes(Limits.SIGNATURE_MAX));
  }

  ViewChange withAuth(Bytes auth) {
    return new ViewChange(newView, stableSeq, stableProof, prepared, replica, auth);
  }
}
