package oskr.core.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import oskr.core.ConfigException;

/**
 * A replica's secp256k1 private key, read from and written to the original Oskr's key files: PKCS#8
 * PEM exactly as {@code openssl ecparam -genkey -noout -name secp256k1 | openssl pkcs8 -topk8
 * -nocrypt} makes them. The Ed25519 key of the same replica is derived from it, so one file serves
 * every signature scheme.
 */
public final class SigningKey {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private final BigInteger scalar;

  private SigningKey(BigInteger scalar) {
    if (scalar.signum() <= 0 || scalar.compareTo(Secp256k1.CURVE.getN()) >= 0) {
      throw new IllegalArgumentException("private scalar out of range");
    }
    this.scalar = scalar;
  }

  public static SigningKey generate(SecureRandom random) {
    BigInteger n = Secp256k1.CURVE.getN();
    BigInteger d;
    do {
      d = new BigInteger(256, random);
    } while (d.signum() == 0 || d.compareTo(n) >= 0);
    return new SigningKey(d);
  }

  /** A key derived from {@code material}, for simulations and tests that must be reproducible. */
  public static SigningKey derive(byte[] material) {
    BigInteger n = Secp256k1.CURVE.getN();
    byte[] hash = new Sha256().digestBytes(material, 0, material.length);
    return new SigningKey(
        new BigInteger(1, hash).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE));
  }

  /**
   * Reads a PKCS#8 PEM secp256k1 key.
   *
   * @param fileName named in every error
   * @throws ConfigException if the text is not PEM, not PKCS#8, not EC or not on secp256k1
   */
  public static SigningKey fromPem(String text, String fileName) throws ConfigException {
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new ConfigException(
          fileName
              + ": not a PKCS#8 PEM private key (no '"
              + BEGIN
              + "' block; make one with"
              + " 'openssl ecparam -genkey -noout -name secp256k1 | openssl pkcs8 -topk8 -nocrypt'"
              + " or 'oskr keygen')");
    }
    byte[] der;
    try {
      // Strict: the MIME decoder would skip stray characters and misread a damaged file.
      String body = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(fileName + ": the PEM body is not valid base64");
    }
    PrivateKeyInfo info;
    try {
      info = PrivateKeyInfo.getInstance(der);
    } catch (RuntimeException e) {
      throw new ConfigException(fileName + ": not a PKCS#8 private key structure");
    }
    if (info == null) throw new ConfigException(fileName + ": empty private key");
    AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
      throw new ConfigException(
          fileName
              + ": not an EC key (algorithm "
              + algorithm.getAlgorithm()
              + "), expected secp256k1");
    }
    if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)
        || !SECObjectIdentifiers.secp256k1.equals(curve)) {
      throw new ConfigException(
          fileName
              + ": wrong curve ("
              + algorithm.getParameters()
              + "), expected secp256k1 ("
              + SECObjectIdentifiers.secp256k1
              + ")");
    }
    try {
      BigInteger d = ECPrivateKey.getInstance(info.parsePrivateKey()).getKey();
      return new SigningKey(d);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(fileName + ": malformed EC private key");
    }
  }

  /** The PKCS#8 PEM text, as openssl writes it (with the public key inside). */
  public String toPem() {
    try {
      AlgorithmIdentifier algorithm =
          new AlgorithmIdentifier(
              X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1);
      byte[] uncompressed = Secp256k1.DOMAIN.getG().multiply(scalar).normalize().getEncoded(false);
      ECPrivateKey key = new ECPrivateKey(256, scalar, new DERBitString(uncompressed), null);
      byte[] der = new PrivateKeyInfo(algorithm, key).getEncoded("DER");
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
      return BEGIN + "\n" + body + "\n" + END + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a key", e);
    }
  }

  public PublicKeys publicKeys() {
    return new PublicKeys(Secp256k1.publicKey(scalar), Ed25519.publicKey(ed25519Seed()));
  }

  public Signer signer(Scheme scheme) {
    return switch (scheme) {
      case SECP256K1 -> new Secp256k1.Sign(scalar);
      case ED25519, HMAC -> new Ed25519.Sign(ed25519Seed());
    };
  }

  /**
   * The HMAC key this key shares with the holder of {@code peerPublicKey} (an encoded secp256k1
   * point): SHA-256 of a label and the x coordinate of the ECDH point. Both sides compute the same
   * key.
   *
   * @throws IllegalArgumentException if the bytes are not a point on secp256k1
   */
  public byte[] sharedKey(byte[] peerPublicKey) {
    org.bouncycastle.math.ec.ECPoint peer = Secp256k1.CURVE.getCurve().decodePoint(peerPublicKey);
    org.bouncycastle.math.ec.ECPoint shared = peer.multiply(scalar).normalize();
    if (shared.isInfinity()) throw new IllegalArgumentException("degenerate public key");
    byte[] label = "oskr hmac session ".getBytes(StandardCharsets.US_ASCII);
    byte[] x = shared.getAffineXCoord().getEncoded();
    byte[] material = new byte[label.length + x.length];
    System.arraycopy(label, 0, material, 0, label.length);
    System.arraycopy(x, 0, material, label.length, x.length);
    return new Sha256().digestBytes(material, 0, material.length);
  }

  /** Deviation: the seed has only secp256k1 keys; the Ed25519 seed is a hash of that key. */
  private byte[] ed25519Seed() {
    byte[] label = "oskr ed25519 seed ".getBytes(StandardCharsets.US_ASCII);
    byte[] material = new byte[label.length + 32];
    System.arraycopy(label, 0, material, 0, label.length);
    byte[] raw = scalar.toByteArray();
    int skip = raw.length > 32 ? raw.length - 32 : 0;
    System.arraycopy(raw, skip, material, material.length - (raw.length - skip), raw.length - skip);
    return new Sha256().digestBytes(material, 0, material.length);
  }

  @Override
  public String toString() {
    return "SigningKey(" + java.util.HexFormat.of().formatHex(publicKeys().secp256k1()) + ")";
  }
}
