package oskr.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Crypto;
import oskr.protocol.Frames;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.runtime.udp.DropCounters;

/** The stateless half of the receive path: decode a frame, then the protocol's verify. */
final class Decoding {
  private static final Logger log = LoggerFactory.getLogger(Decoding.class);
  static final String DECODER_EXCEPTION = "malformed: decoder threw";

  private Decoding() {}

  /**
   * Decodes and verifies {@code frame} from {@code from} on the caller's thread.
   *
   * @return the message, or null if it was malformed or rejected (counted by reason)
   */
  static <M> M decodeAndVerify(
      Protocol<M> protocol,
      Config config,
      Address from,
      byte[] frame,
      Crypto crypto,
      DropCounters drops) {
    M message;
    try {
      message = Frames.decode(protocol, frame, 0, frame.length);
    } catch (MalformedMessage e) {
      drops.count("malformed: " + e.reason());
      return null;
    } catch (RuntimeException e) {
      // A decoder bug must not let a peer crash the node: drop, count, and tell the operator.
      drops.count(DECODER_EXCEPTION);
      log.warn(
          "{} decoder threw on a {}-byte frame from {}", protocol.name(), frame.length, from, e);
      return null;
    }
    try {
      protocol.verify(message, from, config, crypto);
    } catch (Rejected e) {
      drops.count("rejected: " + e.reason());
      return null;
    }
    return message;
  }
}
