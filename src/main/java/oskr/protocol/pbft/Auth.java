package oskr.protocol.pbft;

import oskr.core.Bytes;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;

/**
 * Signs and checks the canonical bytes of a message ({@code encodeSigned}). Runs on workers only:
 * in jobs the replica submits and in {@link Pbft#verify}.
 */
final class Auth {
  private Auth() {}

  /** Writes the bytes a signature covers. */
  @FunctionalInterface
  interface Signed {
    void encodeSigned(Writer out);
  }

  static Bytes sign(Crypto crypto, Signed message) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    return crypto.sign(out.buffer(), 0, out.position());
  }

  static boolean verify(Crypto crypto, int replica, Signed message, Bytes auth) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    return crypto.verify(replica, out.buffer(), 0, out.position(), auth);
  }
}
