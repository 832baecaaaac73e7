package oskr.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import oskr.core.Bytes;

/**
 * HMAC-SHA256 with one shared key, the building block of PBFT's MAC authenticators (one MAC per
 * receiver). Signs and verifies; thread-confined ({@code Mac} is not thread-safe).
 */
public final class HmacSha256 implements Signer, Verifier {
  public static final int MAC_LENGTH = 32;
  private final Mac mac;

  public HmacSha256(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  @Override
  public Bytes sign(byte[] data, int offset, int length) {
    mac.update(data, offset, length);
    return Bytes.adopt(mac.doFinal());
  }

  @Override
  public boolean verify(byte[] data, int offset, int length, Bytes signature) {
    if (signature.length() != MAC_LENGTH) return false;
    mac.update(data, offset, length);
    return MessageDigest.isEqual(mac.doFinal(), signature.unsafeArray());
  }
}
