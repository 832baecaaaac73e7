package oskr.core.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import oskr.core.Digest;

/**
 * SHA-256 with the JDK's intrinsic implementation (SHA-NI where present, ~4x BouncyCastle's).
 * Thread-confined: {@code MessageDigest} is not thread-safe and costly to create.
 */
public final class Sha256 {
  private final MessageDigest digest;
  private final byte[] out = new byte[32];

  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public Digest digest(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
    return finish();
  }

  /** Feeds more bytes into a digest finished by {@link #finish()}. */
  public Sha256 update(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
    return this;
  }

  public Digest finish() {
    try {
      digest.digest(out, 0, 32);
    } catch (java.security.DigestException e) {
      throw new IllegalStateException(e);
    }
    return Digest.of(out, 0);
  }

  /** The raw 32-byte digest, for signature schemes that sign a hash. */
  byte[] digestBytes(byte[] data, int offset, int length) {
    digest.update(data, offset, length);
    return digest.digest();
  }
}
