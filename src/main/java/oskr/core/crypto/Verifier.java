package oskr.core.crypto;

import oskr.core.Bytes;

/**
 * Checks a signature (or MAC) over a byte range; a malformed signature is simply invalid, never an
 * exception. Thread-confined like {@link Signer}.
 */
public interface Verifier {
  boolean verify(byte[] data, int offset, int length, Bytes signature);
}
