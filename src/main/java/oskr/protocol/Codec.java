package oskr.protocol;

import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * A protocol's hand-written binary codec. Encoding is canonical: equal messages give equal bytes,
 * and signatures are computed over them. Decoding checks every length and range and throws only
 * {@link MalformedMessage}.
 */
public interface Codec<M> {
  /** Writes the message's tag and body. */
  void encode(M message, Writer out);

  /** Reads a tag and body, consuming exactly the rest of {@code in}. */
  M decode(Reader in) throws MalformedMessage;
}
