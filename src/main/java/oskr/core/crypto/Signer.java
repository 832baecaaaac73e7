package oskr.core.crypto;

import oskr.core.Bytes;

/**
 * Signs (or MACs) a byte range. Instances are thread-confined: one per worker thread, reused,
 * never shared.
 */
public interface Signer {
  Bytes sign(byte[] data, int offset, int length);
}
