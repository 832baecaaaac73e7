package oskr.protocol.hotstuff;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Codec;
import oskr.protocol.hotstuff.HotStuffMessage.Blocks;
import oskr.protocol.hotstuff.HotStuffMessage.Checkpoint;
import oskr.protocol.hotstuff.HotStuffMessage.FetchBlocks;
import oskr.protocol.hotstuff.HotStuffMessage.FetchState;
import oskr.protocol.hotstuff.HotStuffMessage.NewView;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;
import oskr.protocol.hotstuff.HotStuffMessage.StateChunk;
import oskr.protocol.hotstuff.HotStuffMessage.Vote;

final class HotStuffCodec implements Codec<HotStuffMessage> {
  static final HotStuffCodec INSTANCE = new HotStuffCodec();

  @Override
  public void encode(HotStuffMessage message, Writer out) {
    switch (message) {
      case Request m -> m.encodeBody(out);
      case Reply m -> m.encode(out);
      case Proposal m -> m.encode(out);
      case Vote m -> m.encode(out);
      case NewView m -> m.encode(out);
      case FetchBlocks m -> m.encode(out);
      case Blocks m -> m.encode(out);
      case Checkpoint m -> m.encode(out);
      case FetchState m -> m.encode(out);
      case StateChunk m -> m.encode(out);
    }
  }

  @Override
  public HotStuffMessage decode(Reader in) throws MalformedMessage {
    int tag = in.u8();
    return switch (tag) {
      case Request.TAG -> Request.decodeAfterTag(in);
      case Reply.TAG -> Reply.decode(in);
      case Proposal.TAG -> Proposal.decode(in);
      case Vote.TAG -> Vote.decode(in);
      case NewView.TAG -> NewView.decode(in);
      case FetchBlocks.TAG -> FetchBlocks.decode(in);
      case Blocks.TAG -> Blocks.decode(in);
      case Checkpoint.TAG -> Checkpoint.decode(in);
      case FetchState.TAG -> FetchState.decode(in);
      case StateChunk.TAG -> StateChunk.decode(in);
      default -> throw MalformedMessage.of("unknown tag");
    };
  }
}
