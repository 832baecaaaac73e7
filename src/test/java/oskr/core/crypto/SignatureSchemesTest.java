package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.Bytes;

/** Sign/verify properties shared by secp256k1, Ed25519 and HMAC-SHA256, then each one's own. */
class SignatureSchemesTest {
  private static final HexFormat HEX = HexFormat.of();

  /** One scheme under test: a signer, its verifier, and a verifier of another key. */
  record SchemeUnderTest(
      String name, Signer signer, Verifier verifier, Verifier otherKey, int length) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<SchemeUnderTest> schemes() {
    SigningKey key = SigningKey.derive("key A".getBytes());
    SigningKey other = SigningKey.derive("key B".getBytes());
    byte[] macKey = "a shared 32-byte key for the MAC".getBytes();
    byte[] otherMacKey = "another 32-byte key for the MAC!".getBytes();
    return Stream.of(
        new SchemeUnderTest(
            "secp256k1",
            key.signer(Scheme.SECP256K1),
            key.publicKeys().verifier(Scheme.SECP256K1),
            other.publicKeys().verifier(Scheme.SECP256K1),
            Secp256k1.SIGNATURE_LENGTH),
        new SchemeUnderTest(
            "ed25519",
            key.signer(Scheme.ED25519),
            key.publicKeys().verifier(Scheme.ED25519),
            other.publicKeys().verifier(Scheme.ED25519),
            Ed25519.SIGNATURE_LENGTH),
        new SchemeUnderTest(
            "hmac-sha256",
            new HmacSha256(macKey),
            new HmacSha256(macKey),
            new HmacSha256(otherMacKey),
            HmacSha256.MAC_LENGTH));
  }

  /** 64 message bytes in the middle of a larger array, to exercise offset and length. */
  private static byte[] framed(long seed) {
    byte[] frame = new byte[80];
    new Random(seed).nextBytes(frame);
    return frame;
  }

  private static final int OFFSET = 7;
  private static final int LENGTH = 64;

  private static Bytes flipBit(Bytes signature, int bit) {
    byte[] bytes = signature.toArray();
    bytes[bit / 8] ^= (byte) (1 << (bit % 8));
    return Bytes.adopt(bytes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void signatureOverARangeVerifiesAndIsDeterministic(SchemeUnderTest scheme) {
    byte[] frame = framed(1);
    Bytes signature = scheme.signer().sign(frame, OFFSET, LENGTH);
    assertThat(signature.length()).isEqualTo(scheme.length());
    assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, signature)).isTrue();
    byte[] copy = Arrays.copyOfRange(frame, OFFSET, OFFSET + LENGTH);
    assertThat(scheme.verifier().verify(copy, 0, LENGTH, signature)).isTrue();
    assertThat(scheme.signer().sign(copy, 0, LENGTH)).isEqualTo(signature);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void tamperedMessageFails(SchemeUnderTest scheme) {
    byte[] frame = framed(2);
    Bytes signature = scheme.signer().sign(frame, OFFSET, LENGTH);
    for (int position : new int[] {OFFSET, OFFSET + 31, OFFSET + LENGTH - 1}) {
      frame[position] ^= 1;
      assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, signature)).isFalse();
      frame[position] ^= 1;
    }
    assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH - 1, signature)).isFalse();
    assertThat(scheme.verifier().verify(frame, OFFSET + 1, LENGTH, signature)).isFalse();
    assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, signature)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void everySingleBitFlipOfTheSignatureFails(SchemeUnderTest scheme) {
    byte[] frame = framed(3);
    Bytes signature = scheme.signer().sign(frame, OFFSET, LENGTH);
    for (int bit = 0; bit < signature.length() * 8; bit += 3) {
      Bytes tampered = flipBit(signature, bit);
      assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, tampered)).as("bit " + bit)
          .isFalse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void anotherKeysSignatureFails(SchemeUnderTest scheme) {
    byte[] frame = framed(4);
    Bytes signature = scheme.signer().sign(frame, OFFSET, LENGTH);
    assertThat(scheme.otherKey().verify(frame, OFFSET, LENGTH, signature)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemes")
  void wrongLengthOrGarbageSignatureIsFalseNotAnException(SchemeUnderTest scheme) {
    byte[] frame = framed(5);
    Bytes signature = scheme.signer().sign(frame, OFFSET, LENGTH);
    byte[] longer = Arrays.copyOf(signature.toArray(), signature.length() + 1);
    List<Bytes> bad =
        List.of(
            Bytes.EMPTY,
            Bytes.copyOf(signature.unsafeArray(), 0, signature.length() - 1),
            Bytes.adopt(longer),
            Bytes.adopt(new byte[128]),
            Bytes.adopt(new byte[scheme.length()]),
            filled(scheme.length(), (byte) 0xff));
    for (Bytes signatureBytes : bad) {
      assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, signatureBytes))
          .as(signatureBytes.toString())
          .isFalse();
    }
    Random random = new Random(5);
    for (int i = 0; i < 50; i++) {
      byte[] noise = new byte[scheme.length()];
      random.nextBytes(noise);
      assertThat(scheme.verifier().verify(frame, OFFSET, LENGTH, Bytes.adopt(noise))).isFalse();
    }
  }

  private static Bytes filled(int length, byte value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, value);
    return Bytes.adopt(bytes);
  }

  @Test
  void secp256k1IsEcdsaOverSha256AndRejectsTheHighSTwin() {
    SigningKey key = SigningKey.derive("canonical".getBytes());
    byte[] message = framed(6);
    byte[] signature =
        key.signer(Scheme.SECP256K1).sign(message, 0, message.length).toArray();
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    BigInteger order = Secp256k1.CURVE.getN();
    assertThat(s).isLessThanOrEqualTo(order.shiftRight(1)); // we sign in the low-s form
    BigInteger highS = order.subtract(s);

    // Plain ECDSA over SHA-256 (BouncyCastle, no canonical rule) accepts both (r, s) and (r, n-s)
    ECDSASigner plain = new ECDSASigner();
    plain.init(
        false,
        new ECPublicKeyParameters(
            Secp256k1.CURVE.getCurve().decodePoint(key.publicKeys().secp256k1()),
            Secp256k1.DOMAIN));
    byte[] hash = new Sha256().digestBytes(message, 0, message.length);
    assertThat(plain.verifySignature(hash, r, s)).isTrue();
    assertThat(plain.verifySignature(hash, r, highS)).isTrue();

    // ... but ours accepts only the canonical one, so each message has one signature per key.
    byte[] twin = Arrays.copyOf(signature, 64);
    byte[] highSBytes = highS.toByteArray();
    Arrays.fill(twin, 32, 64, (byte) 0);
    System.arraycopy(
        highSBytes,
        Math.max(0, highSBytes.length - 32),
        twin,
        64 - Math.min(32, highSBytes.length),
        Math.min(32, highSBytes.length));
    Verifier verifier = key.publicKeys().verifier(Scheme.SECP256K1);
    assertThat(verifier.verify(message, 0, message.length, Bytes.adopt(signature))).isTrue();
    assertThat(verifier.verify(message, 0, message.length, Bytes.adopt(twin))).isFalse();
  }

  @Test
  void secp256k1RejectsOutOfRangeScalarsWithoutAnException() {
    SigningKey key = SigningKey.derive("range".getBytes());
    Verifier verifier = key.publicKeys().verifier(Scheme.SECP256K1);
    byte[] message = framed(7);
    byte[] signature =
        key.signer(Scheme.SECP256K1).sign(message, 0, message.length).toArray();
    byte[] zeroR = signature.clone();
    Arrays.fill(zeroR, 0, 32, (byte) 0);
    byte[] zeroS = signature.clone();
    Arrays.fill(zeroS, 32, 64, (byte) 0);
    byte[] rAboveOrder = signature.clone();
    Arrays.fill(rAboveOrder, 0, 32, (byte) 0xff);
    for (byte[] bad : List.of(zeroR, zeroS, rAboveOrder)) {
      assertThat(verifier.verify(message, 0, message.length, Bytes.adopt(bad))).isFalse();
    }
  }

  @Test
  void ed25519MatchesRfc8032TestVector1() {
    byte[] seed = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    byte[] publicKey = Ed25519.publicKey(seed);
    assertThat(HEX.formatHex(publicKey))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    Bytes signature = new Ed25519.Sign(seed).sign(new byte[0], 0, 0);
    assertThat(signature.hex())
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
                + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(new Ed25519.Verify(publicKey).verify(new byte[0], 0, 0, signature)).isTrue();
  }

  @Test
  void hmacMatchesRfc4231TestCase2() {
    byte[] data = "what do ya want for nothing?".getBytes();
    Bytes mac = new HmacSha256("Jefe".getBytes()).sign(data, 0, data.length);
    assertThat(mac.hex())
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void hmacStaysCorrectAfterAFailedVerify() {
    HmacSha256 mac = new HmacSha256(new byte[32]);
    byte[] data = framed(8);
    Bytes good = mac.sign(data, 0, data.length);
    assertThat(mac.verify(data, 0, data.length, Bytes.adopt(new byte[31]))).isFalse();
    assertThat(mac.verify(data, 0, data.length, flipBit(good, 0))).isFalse();
    assertThat(mac.verify(data, 0, data.length, good)).isTrue();
    assertThat(mac.sign(data, 0, data.length)).isEqualTo(good);
  }
}
