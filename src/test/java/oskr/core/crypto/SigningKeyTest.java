package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.core.Bytes;
import oskr.core.ConfigException;

class SigningKeyTest {
  private static final String FILE = "deploy/shard0-0.pem";
  private static final byte[] MESSAGE = "a 64-byte message would do as well".getBytes();

  @TempDir Path directory;

  private static String errorOf(String pem) {
    try {
      SigningKey key = SigningKey.fromPem(pem, FILE);
      throw new AssertionError("accepted a bad key file: " + key);
    } catch (ConfigException e) {
      return e.getMessage();
    }
  }

  private static String pem(byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  private static void assertSignsAndVerifies(SigningKey key) {
    for (Scheme scheme : Scheme.values()) {
      Bytes signature = key.signer(scheme).sign(MESSAGE, 0, MESSAGE.length);
      Verifier verifier = key.publicKeys().verifier(scheme);
      assertThat(verifier.verify(MESSAGE, 0, MESSAGE.length, signature)).as(scheme.name()).isTrue();
      assertThat(verifier.verify(MESSAGE, 1, MESSAGE.length - 1, signature)).isFalse();
    }
  }

  @Test
  void opensslSecp256k1KeyLoadsSignsAndHasOpensslsPublicKey() throws Exception {
    OpenSsl.assumeAvailable();
    String text = OpenSsl.pkcs8Key(directory, "secp256k1");
    Path file = directory.resolve("key.pem");
    Files.writeString(file, text);
    SigningKey key = SigningKey.fromPem(text, file.toString());
    assertSignsAndVerifies(key);
    byte[] der =
        OpenSsl.run(directory, "ec", "-in", "key.pem", "-pubout", "-conv_form", "compressed",
                "-outform", "DER")
            .stdout();
    byte[] opensslPoint = Arrays.copyOfRange(der, der.length - 33, der.length);
    assertThat(key.publicKeys().secp256k1()).isEqualTo(opensslPoint);
    // toPem claims to write what openssl writes: for openssl's own key, byte for byte.
    assertThat(key.toPem()).isEqualTo(text);
  }

  @Test
  void opensslVerifiesOurSecp256k1Signature() throws Exception {
    OpenSsl.assumeAvailable();
    SigningKey key = SigningKey.derive("interop".getBytes());
    Files.writeString(directory.resolve("key.pem"), key.toPem());
    OpenSsl.run(directory, "ec", "-in", "key.pem", "-pubout", "-out", "public.pem");
    Files.write(directory.resolve("message.bin"), MESSAGE);
    byte[] compact = key.signer(Scheme.SECP256K1).sign(MESSAGE, 0, MESSAGE.length).toArray();
    Files.write(directory.resolve("signature.der"), derSignature(compact));
    OpenSsl.Result result =
        OpenSsl.run(directory, "dgst", "-sha256", "-verify", "public.pem", "-signature",
            "signature.der", "message.bin");
    assertThat(result.stdoutText()).contains("Verified OK");
  }

  private static byte[] derSignature(byte[] compact) throws java.io.IOException {
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(compact, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(compact, 32, 64));
    return new DERSequence(new ASN1Encodable[] {new ASN1Integer(r), new ASN1Integer(s)})
        .getEncoded();
  }

  @Test
  void opensslAcceptsWhatToPemWrote() throws Exception {
    OpenSsl.assumeAvailable();
    SigningKey key = SigningKey.generate(new SecureRandom());
    Files.writeString(directory.resolve("ours.pem"), key.toPem());
    OpenSsl.run(directory, "pkey", "-in", "ours.pem", "-noout", "-check");
    String text = OpenSsl.run(directory, "ec", "-in", "ours.pem", "-noout", "-text").stdoutText();
    assertThat(text).contains("secp256k1");
  }

  @Test
  void opensslPrime256v1KeyIsRejectedAsWrongCurve() {
    OpenSsl.assumeAvailable();
    String text = OpenSsl.pkcs8Key(directory, "prime256v1");
    assertThat(errorOf(text))
        .startsWith(FILE + ": wrong curve")
        .contains("1.2.840.10045.3.1.7", "expected secp256k1");
  }

  @Test
  void jdkP256KeyIsRejectedAsWrongCurve() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    String text = pem(generator.generateKeyPair().getPrivate().getEncoded());
    assertThat(errorOf(text)).startsWith(FILE + ": wrong curve");
  }

  @Test
  void rsaKeyIsRejectedAsNotEc() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(new RSAKeyGenParameterSpec(1024, RSAKeyGenParameterSpec.F4));
    String text = pem(generator.generateKeyPair().getPrivate().getEncoded());
    assertThat(errorOf(text))
        .isEqualTo(FILE + ": not an EC key (algorithm 1.2.840.113549.1.1.1), expected secp256k1");
  }

  @Test
  void ed25519KeyIsRejectedAsNotEc() throws GeneralSecurityException {
    String text = pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()
        .getEncoded());
    assertThat(errorOf(text)).startsWith(FILE + ": not an EC key (algorithm 1.3.101.112)");
  }

  @Test
  void textWithoutAPemBlockIsRejectedWithTheCommandThatMakesAKey() {
    for (String text : new String[] {"", "garbage\n", "-----END PRIVATE KEY-----\n-----BEGIN"
        + " PRIVATE KEY-----\n"}) {
      assertThat(errorOf(text))
          .startsWith(FILE + ": not a PKCS#8 PEM private key")
          .contains("openssl ecparam -genkey -noout -name secp256k1 | openssl pkcs8 -topk8");
    }
  }

  @Test
  void sec1EcKeyWithoutPkcs8IsRejected() {
    String sec1 = "-----BEGIN EC PRIVATE KEY-----\nMHQCAQEE\n-----END EC PRIVATE KEY-----\n";
    assertThat(errorOf(sec1)).startsWith(FILE + ": not a PKCS#8 PEM private key");
  }

  @Test
  void badBase64IsRejected() {
    String valid = SigningKey.derive(new byte[] {1}).toPem();
    String damaged = valid.replaceFirst("\n(.)", "\n!$1"); // one stray character in the body
    assertThat(errorOf(damaged)).isEqualTo(FILE + ": the PEM body is not valid base64");
    String noPadding = "-----BEGIN PRIVATE KEY-----\nQUJD=A\n-----END PRIVATE KEY-----\n";
    assertThat(errorOf(noPadding)).isEqualTo(FILE + ": the PEM body is not valid base64");
  }

  @Test
  void validBase64ThatIsNoKeyIsRejected() {
    assertThat(errorOf(pem(new byte[0]))).isEqualTo(FILE + ": not a PKCS#8 private key structure");
    assertThat(errorOf(pem("hello".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(FILE + ": not a PKCS#8 private key structure");
    byte[] der = SigningKey.derive(new byte[] {2}).toPem().lines()
        .filter(line -> !line.startsWith("-----"))
        .map(line -> Base64.getDecoder().decode(line))
        .reduce(new byte[0], SigningKeyTest::concat);
    assertThat(errorOf(pem(Arrays.copyOf(der, der.length - 10))))
        .isEqualTo(FILE + ": not a PKCS#8 private key structure");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void secp256k1KeyWithBadInnerStructureOrScalarIsRejected() throws Exception {
    AlgorithmIdentifier secp256k1 =
        new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256k1);
    byte[] notAnEcKey = new PrivateKeyInfo(secp256k1, DERNull.INSTANCE).getEncoded("DER");
    assertThat(errorOf(pem(notAnEcKey))).isEqualTo(FILE + ": malformed EC private key");
    BigInteger order = Secp256k1.CURVE.getN();
    for (BigInteger scalar : new BigInteger[] {BigInteger.ZERO, order, order.add(BigInteger.ONE)}) {
      byte[] der =
          new PrivateKeyInfo(secp256k1, new ECPrivateKey(256, scalar, null)).getEncoded("DER");
      assertThat(errorOf(pem(der))).as(scalar.toString()).isEqualTo(
          FILE + ": malformed EC private key");
    }
  }

  @Test
  void toPemRoundTripsAndIsDeterministic() throws ConfigException {
    SigningKey key = SigningKey.derive("replica 0".getBytes());
    String text = key.toPem();
    assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith(
        "\n-----END PRIVATE KEY-----\n");
    SigningKey loaded = SigningKey.fromPem(text, FILE);
    assertThat(loaded.publicKeys()).isEqualTo(key.publicKeys());
    assertThat(loaded.toPem()).isEqualTo(text);
    assertSignsAndVerifies(loaded);
    // Surrounding text and CRLF line ends, as an editor on another system may leave them.
    String wrapped = "comment before\r\n" + text.replace("\n", "\r\n") + "after\r\n";
    assertThat(SigningKey.fromPem(wrapped, FILE).publicKeys()).isEqualTo(key.publicKeys());
  }

  @Test
  void derivedKeysAreReproducibleAndDistinct() {
    assertThat(SigningKey.derive(new byte[] {7}).publicKeys())
        .isEqualTo(SigningKey.derive(new byte[] {7}).publicKeys())
        .isNotEqualTo(SigningKey.derive(new byte[] {8}).publicKeys());
    SigningKey key = SigningKey.derive(new byte[] {7});
    assertThat(key.publicKeys().secp256k1()).hasSize(33);
    assertThat(key.publicKeys().ed25519()).hasSize(32);
  }
}
