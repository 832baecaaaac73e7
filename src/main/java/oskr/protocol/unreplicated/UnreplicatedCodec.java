package oskr.protocol.unreplicated;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Codec;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

final class UnreplicatedCodec implements Codec<UnreplicatedMessage> {
  static final UnreplicatedCodec INSTANCE = new UnreplicatedCodec();

  @Override
  public void encode(UnreplicatedMessage message, Writer out) {
    switch (message) {
      case Request m -> m.encode(out);
      case Reply m -> m.encode(out);
    }
  }

  @Override
  public UnreplicatedMessage decode(Reader in) throws MalformedMessage {
    int tag = in.u8();
    return switch (tag) {
      case Request.TAG -> Request.decode(in);
      case Reply.TAG -> Reply.decode(in);
      default -> throw MalformedMessage.of("unknown tag");
    };
  }
}
