package oskr.protocol.zyzzyva;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Codec;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FetchState;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FillHole;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Pom;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.State;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/** The canonical binary codec: a tag, then the record's fields (see each record's encode). */
final class ZyzzyvaCodec implements Codec<ZyzzyvaMessage> {
  static final ZyzzyvaCodec INSTANCE = new ZyzzyvaCodec();

  private ZyzzyvaCodec() {}

  @Override
  public void encode(ZyzzyvaMessage message, Writer out) {
    switch (message) {
      case Request m -> m.encode(out);
      case OrderReq m -> m.encode(out);
      case SpecResponse m -> m.encode(out);
      case Commit m -> m.encode(out);
      case LocalCommit m -> m.encode(out);
      case FillHole m -> m.encode(out);
      case Vote m -> m.encode(out);
      case Checkpoint m -> m.encode(out);
      case ViewChange m -> m.encode(out);
      case NewView m -> m.encode(out);
      case Pom m -> m.encode(out);
      case FetchState m -> m.encode(out);
      case State m -> m.encode(out);
    }
  }

  @Override
  public ZyzzyvaMessage decode(Reader in) throws MalformedMessage {
    int tag = in.u8();
    return switch (tag) {
      case Request.TAG -> Request.decode(in);
      case OrderReq.TAG -> OrderReq.decode(in);
      case SpecResponse.TAG -> SpecResponse.decode(in);
      case Commit.TAG -> Commit.decode(in);
      case LocalCommit.TAG -> LocalCommit.decode(in);
      case FillHole.TAG -> FillHole.decode(in);
      case Vote.TAG -> Vote.decode(in);
      case Checkpoint.TAG -> Checkpoint.decode(in);
      case ViewChange.TAG -> ViewChange.decode(in);
      case NewView.TAG -> NewView.decode(in);
      case Pom.TAG -> Pom.decode(in);
      case FetchState.TAG -> FetchState.decode(in);
      case State.TAG -> State.decode(in);
      default -> throw MalformedMessage.of("unknown tag " + tag);
    };
  }
}
