package oskr.core.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import oskr.core.Bytes;
import oskr.core.Digest;

/**
 * Remembered outcomes of signature checks, shared by the many nodes of one process that check the
 * same signatures: the simulator, where every replica verifies what the others signed (a HotStuff
 * QC is checked by every replica, again inside each block that carries it), and where public-key
 * verification was two thirds of the run time. A check is a pure function of the scheme, the key,
 * the signature and the bytes, so a remembered outcome is the outcome: a forged signature is
 * remembered as invalid. The key is the SHA-256 of those four, each length-prefixed. Bounded: the
 * least recently used outcome is forgotten first. Not thread-safe (one simulation's thread).
 */
public final class VerifyMemo {
  /** Outcomes kept; past it the least recently used is forgotten. */
  public static final int ENTRIES_MAX = 1 << 16;

  private final Sha256 sha256 = new Sha256();
  private final byte[] prefix = new byte[4];
  private long hits;
  private long misses;

  private final Map<Digest, Boolean> outcomes =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Digest, Boolean> eldest) {
          return size() > ENTRIES_MAX;
        }
      };

  /** {@code verifier}'s outcome for the signature over the range, from memory when known. */
  boolean verify(
      Scheme scheme,
      Bytes publicKey,
      Verifier verifier,
      byte[] data,
      int offset,
      int length,
      Bytes signature) {
    prefix[0] = (byte) scheme.ordinal();
    sha256.update(prefix, 0, 1);
    feed(publicKey.unsafeArray(), 0, publicKey.length());
    feed(signature.unsafeArray(), 0, signature.length());
    feed(data, offset, length);
    Digest key = sha256.finish();
    Boolean known = outcomes.get(key);
    if (known != null) {
      hits++;
      return known;
    }
    misses++;
    boolean valid = verifier.verify(data, offset, length, signature);
    outcomes.put(key, valid);
    return valid;
  }

  private void feed(byte[] bytes, int offset, int length) {
    prefix[0] = (byte) (length >>> 24);
    prefix[1] = (byte) (length >>> 16);
    prefix[2] = (byte) (length >>> 8);
    prefix[3] = (byte) length;
    sha256.update(prefix, 0, 4);
    sha256.update(bytes, offset, length);
  }

  /** Checks answered from memory. */
  public long hits() {
    return hits;
  }

  /** Checks that ran the verifier. */
  public long misses() {
    return misses;
  }
}
