package oskr.protocol.vr;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Codec;
import oskr.protocol.vr.VrMessage.Commit;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;
import oskr.protocol.vr.VrMessage.NewState;
import oskr.protocol.vr.VrMessage.Prepare;
import oskr.protocol.vr.VrMessage.PrepareOk;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;
import oskr.protocol.vr.VrMessage.StartView;
import oskr.protocol.vr.VrMessage.StartViewChange;

final class VrCodec implements Codec<VrMessage> {
  static final VrCodec INSTANCE = new VrCodec();

  @Override
  public void encode(VrMessage message, Writer out) {
    switch (message) {
      case Request m -> m.encode(out);
      case Reply m -> m.encode(out);
      case Prepare m -> m.encode(out);
      case PrepareOk m -> m.encode(out);
      case Commit m -> m.encode(out);
      case StartViewChange m -> m.encode(out);
      case DoViewChange m -> m.encode(out);
      case StartView m -> m.encode(out);
      case Recovery m -> m.encode(out);
      case RecoveryResponse m -> m.encode(out);
      case GetState m -> m.encode(out);
      case NewState m -> m.encode(out);
      case GetSnapshot m -> m.encode(out);
      case SnapshotChunk m -> m.encode(out);
    }
  }

  @Override
  public VrMessage decode(Reader in) throws MalformedMessage {
    int tag = in.u8();
    return switch (tag) {
      case Request.TAG -> Request.decodeEntry(in);
      case Reply.TAG -> Reply.decodeBody(in);
      case Prepare.TAG -> Prepare.decode(in);
      case PrepareOk.TAG -> PrepareOk.decode(in);
      case Commit.TAG -> Commit.decode(in);
      case StartViewChange.TAG -> StartViewChange.decode(in);
      case DoViewChange.TAG -> DoViewChange.decode(in);
      case StartView.TAG -> StartView.decode(in);
      case Recovery.TAG -> Recovery.decode(in);
      case RecoveryResponse.TAG -> RecoveryResponse.decode(in);
      case GetState.TAG -> GetState.decode(in);
      case NewState.TAG -> NewState.decode(in);
      case GetSnapshot.TAG -> GetSnapshot.decode(in);
      case SnapshotChunk.TAG -> SnapshotChunk.decode(in);
      default -> throw MalformedMessage.of("unknown tag");
    };
  }
}
