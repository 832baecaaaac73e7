package oskr.core.crypto;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import oskr.core.Bytes;

/**
 * ECDSA over secp256k1 on SHA-256 of the message, as the seed signs: deterministic nonces (RFC
 * 6979), signatures in the 64-byte compact form r || s with s normalised to the lower half so
 * that each message has exactly one valid signature per key (canonical bytes).
 */
public final class Secp256k1 {
  private Secp256k1() {}

  static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  static final ECDomainParameters DOMAIN =
      new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
  private static final BigInteger HALF_ORDER = CURVE.getN().shiftRight(1);
  public static final int SIGNATURE_LENGTH = 64;

  /** The public point of private scalar {@code d}, compressed (33 bytes). */
  public static byte[] publicKey(BigInteger d) {
    return DOMAIN.getG().multiply(d).normalize().getEncoded(true);
  }

  public static final class Sign implements Signer {
    private final ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    private final Sha256 sha256 = new Sha256();

    public Sign(BigInteger privateScalar) {
      ecdsa.init(true, new ECPrivateKeyParameters(privateScalar, DOMAIN));
    }

    @Override
    public Bytes sign(byte[] data, int offset, int length) {
      BigInteger[] rs = ecdsa.generateSignature(sha256.digestBytes(data, offset, length));
      BigInteger s = rs[1].compareTo(HALF_ORDER) > 0 ? CURVE.getN().subtract(rs[1]) : rs[1];
      byte[] out = new byte[SIGNATURE_LENGTH];
      put(rs[0], out, 0);
      put(s, out, 32);
      return Bytes.adopt(out);
    }

    private static void put(BigInteger value, byte[] out, int offset) {
      byte[] raw = value.toByteArray();
      int skip = raw.length > 32 ? raw.length - 32 : 0;
      System.arraycopy(raw, skip, out, offset + 32 - (raw.length - skip), raw.length - skip);
    }
  }

  public static final class Verify implements Verifier {
    private final ECDSASigner ecdsa = new ECDSASigner();
    private final Sha256 sha256 = new Sha256();

    /** @param publicKey an encoded point (compressed or not) on secp256k1 */
    public Verify(byte[] publicKey) {
      ECPoint point = CURVE.getCurve().decodePoint(publicKey);
      ecdsa.init(false, new ECPublicKeyParameters(point, DOMAIN));
    }

    @Override
    public boolean verify(byte[] data, int offset, int length, Bytes signature) {
      if (signature.length() != SIGNATURE_LENGTH) return false;
      byte[] sig = signature.unsafeArray();
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
      if (s.compareTo(HALF_ORDER) > 0) return false; // only the canonical low-s form
      return ecdsa.verifySignature(sha256.digestBytes(data, offset, length), r, s);
    }
  }
}
