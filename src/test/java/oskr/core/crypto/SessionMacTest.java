package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;

class SessionMacTest {
  private static final byte[] MESSAGE = "prepare 7".getBytes(StandardCharsets.US_ASCII);

  private static SigningKey key(String name) {
    return SigningKey.derive(name.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void bothSidesOfAnEcdhAgreementShareOneKey() {
    SigningKey alice = key("alice");
    SigningKey bob = key("bob");
    assertThat(alice.sharedKey(bob.publicKeys().secp256k1()))
        .isEqualTo(bob.sharedKey(alice.publicKeys().secp256k1()))
        .hasSize(32)
        .isNotEqualTo(alice.sharedKey(key("carol").publicKeys().secp256k1()));
  }

  @Test
  void replicaMacsVerifyAtTheClientAndNowhereElse() {
    SigningKey replica = key("replica 0");
    SigningKey client = key("client");
    List<PublicKeys> replicas = List.of(replica.publicKeys(), key("replica 1").publicKeys());
    Crypto atReplica = new Crypto(new Keyring(Scheme.HMAC, replicas, Optional.of(replica)));
    Crypto atClient = new Crypto(Keyring.forClient(Scheme.HMAC, replicas, client));
    assertThat(atReplica.ownIndex()).isZero();
    assertThat(atClient.ownIndex()).isEqualTo(-1);
    Bytes mac = atReplica.mac(atClient.ownPublicKey(), MESSAGE, 0, MESSAGE.length);
    assertThat(atClient.verifyMac(atClient.replicaPublicKey(0), MESSAGE, 0, MESSAGE.length, mac))
        .isTrue();
    assertThat(atClient.verifyMac(atClient.replicaPublicKey(1), MESSAGE, 0, MESSAGE.length, mac))
        .isFalse();
    byte[] corrupted = mac.toArray();
    corrupted[0] ^= 1;
    assertThat(
            atClient.verifyMac(
                atClient.replicaPublicKey(0), MESSAGE, 0, MESSAGE.length, Bytes.adopt(corrupted)))
        .isFalse();
  }

  @Test
  void anInvalidPeerKeyVerifiesNothing() {
    Crypto crypto = new Crypto(Keyring.forClient(Scheme.HMAC, List.of(), key("client")));
    Bytes notAPoint = Bytes.copyOf(new byte[] {2, 1, 2, 3});
    assertThat(crypto.verifyMac(notAPoint, MESSAGE, 0, MESSAGE.length, Bytes.EMPTY)).isFalse();
    assertThatThrownBy(() -> crypto.mac(notAPoint, MESSAGE, 0, MESSAGE.length))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hmacSchemeSignsWithEd25519ForCertificates() {
    SigningKey replica = key("replica 0");
    Crypto crypto =
        new Crypto(new Keyring(Scheme.HMAC, List.of(replica.publicKeys()), Optional.of(replica)));
    Bytes signature = crypto.sign(MESSAGE, 0, MESSAGE.length);
    assertThat(signature.length()).isEqualTo(Ed25519.SIGNATURE_LENGTH);
    assertThat(crypto.verify(0, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
    assertThat(Scheme.parse("hmac")).isEqualTo(Scheme.HMAC);
  }

  @Test
  void aClientSignatureVerifiesUnderTheKeyItSendsInEveryScheme() {
    for (Scheme scheme : Scheme.values()) {
      Crypto client = new Crypto(Keyring.forClient(scheme, List.of(), key("client")));
      Crypto replica = new Crypto(Keyring.forClient(scheme, List.of(), key("replica")));
      Bytes signature = client.sign(MESSAGE, 0, MESSAGE.length);
      Bytes publicKey = client.ownVerifyingKey();
      assertThat(publicKey.length()).isEqualTo(scheme == Scheme.SECP256K1 ? 33 : 32);
      assertThat(replica.verifyWithKey(publicKey, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
      Bytes other = replica.ownVerifyingKey();
      assertThat(replica.verifyWithKey(other, MESSAGE, 0, MESSAGE.length, signature)).isFalse();
      Bytes garbage = Bytes.copyOf(new byte[] {9, 9, 9});
      assertThat(replica.verifyWithKey(garbage, MESSAGE, 0, MESSAGE.length, signature)).isFalse();
    }
  }
}
