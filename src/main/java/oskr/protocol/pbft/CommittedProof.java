package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;

/**
 * State transfer above the checkpoint: a batch with the proof that it committed at its sequence
 * number (its signed PRE-PREPARE and 2f+1 matching signed COMMITs; TOCS §4.2 committed predicate),
 * answering a {@link PbftMessage.FetchLog}.
 */
record CommittedProof(PrePrepare prePrepare, List<Commit> commits) implements PbftMessage {
  static final int TAG = 12;

  public CommittedProof {
    commits = List.copyOf(commits);
  }

  void encode(Writer out) {
    out.u8(TAG);
    prePrepare.encode(out);
    Codecs.commits(out, commits);
  }

  static CommittedProof decode(Reader in) throws MalformedMessage {
    PrePrepare prePrepare = Codecs.prePrepare(in);
    return new CommittedProof(prePrepare, Codecs.commits(in, Limits.REPLICAS_MAX));
  }
}
