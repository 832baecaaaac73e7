package oskr.protocol;

import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The frame around every message on the wire: format version, protocol id, then the protocol's
 * own tag and body. A frame for another protocol or version is malformed, never misread.
 */
public final class Frames {
  private Frames() {}

  public static final int VERSION = 1;
  public static final int HEADER_LENGTH = 2;

  public static <M> void encode(Protocol<M> protocol, M message, Writer out) {
    out.u8(VERSION).u8(protocol.id());
    protocol.codec().encode(message, out);
  }

  public static <M> M decode(Protocol<M> protocol, byte[] frame, int offset, int length)
      throws MalformedMessage {
    if (length > Limits.FRAME_MAX) throw MalformedMessage.of("oversized");
    Reader in = new Reader(frame, offset, length);
    if (in.u8() != VERSION) throw MalformedMessage.of("unknown version");
    if (in.u8() != protocol.id()) throw MalformedMessage.of("wrong protocol");
    M message = protocol.codec().decode(in);
    in.end();
    return message;
  }
}
