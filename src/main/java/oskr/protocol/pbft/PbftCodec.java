package oskr.protocol.pbft;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Codec;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

final class PbftCodec implements Codec<PbftMessage> {
  static final PbftCodec INSTANCE = new PbftCodec();

  @Override
  public void encode(PbftMessage message, Writer out) {
    switch (message) {
      case Request m -> m.encode(out);
      case Reply m -> m.encode(out);
      case PrePrepare m -> m.encode(out);
      case Prepare m -> m.encode(out);
      case Commit m -> m.encode(out);
      case Checkpoint m -> m.encode(out);
      case ViewChange m -> m.encode(out);
      case NewView m -> m.encode(out);
      case FetchState m -> m.encode(out);
      case StateChunk m -> m.encode(out);
      case FetchLog m -> m.encode(out);
      case CommittedProof m -> m.encode(out);
      case Reject m -> m.encode(out);
    }
  }

  @Override
  public PbftMessage decode(Reader in) throws MalformedMessage {
    int tag = in.u8();
    return switch (tag) {
      case Request.TAG -> Request.decode(in);
      case Reply.TAG -> Reply.decode(in);
      case PrePrepare.TAG -> PrePrepare.decode(in);
      case Prepare.TAG -> Prepare.decode(in);
      case Commit.TAG -> Commit.decode(in);
      case Checkpoint.TAG -> Checkpoint.decode(in);
      case ViewChange.TAG -> ViewChange.decode(in);
      case NewView.TAG -> NewView.decode(in);
      case FetchState.TAG -> FetchState.decode(in);
      case StateChunk.TAG -> StateChunk.decode(in);
      case FetchLog.TAG -> FetchLog.decode(in);
      case CommittedProof.TAG -> CommittedProof.decode(in);
      case Reject.TAG -> Reject.decode(in);
      default -> throw MalformedMessage.of("unknown tag");
    };
  }
}
