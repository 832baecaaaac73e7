package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Bytes;
import oskr.core.Digest;

class CryptoTest {
  private static final SigningKey REPLICA_0 = SigningKey.derive("replica 0".getBytes());
  private static final SigningKey REPLICA_1 = SigningKey.derive("replica 1".getBytes());
  private static final List<PublicKeys> PUBLIC_KEYS =
      List.of(REPLICA_0.publicKeys(), REPLICA_1.publicKeys());

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void verifiesEachReplicaWithItsOwnKeyOnly(Scheme scheme) {
    Crypto replica0 = new Crypto(new Keyring(scheme, PUBLIC_KEYS, Optional.of(REPLICA_0)));
    Crypto client = new Crypto(Keyring.forClient(scheme, PUBLIC_KEYS));
    byte[] data = "vote for 1".getBytes(StandardCharsets.US_ASCII);
    Bytes signature = replica0.sign(data, 0, data.length);
    assertThat(client.verify(0, data, 0, data.length, signature)).isTrue();
    assertThat(client.verify(0, data, 0, data.length, signature)).as("cached verifier").isTrue();
    assertThat(client.verify(1, data, 0, data.length, signature)).isFalse();
    assertThat(client.scheme()).isEqualTo(scheme);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void verifyOfAnOutOfRangeReplicaIsFalse(Scheme scheme) {
    Crypto replica0 = new Crypto(new Keyring(scheme, PUBLIC_KEYS, Optional.of(REPLICA_0)));
    byte[] data = {1, 2, 3};
    Bytes signature = replica0.sign(data, 0, data.length);
    for (int replica : new int[] {-1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      assertThat(replica0.verify(replica, data, 0, data.length, signature)).isFalse();
    }
  }

  @Test
  void aClientCannotSign() {
    Crypto client = new Crypto(Keyring.forClient(Scheme.ED25519, PUBLIC_KEYS));
    assertThatThrownBy(() -> client.sign(new byte[1], 0, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no signing key");
  }

  @Test
  void scratchIsResetOnEachCall() {
    Crypto crypto = new Crypto(Keyring.forClient(Scheme.ED25519, PUBLIC_KEYS));
    crypto.scratch().u64(5).u64(6);
    assertThat(crypto.scratch().position()).isZero();
  }

  @Test
  void sha256MatchesFipsVectors() {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    Sha256 sha256 = new Sha256();
    assertThat(sha256.digest(abc, 0, 3).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(sha256.digest(new byte[0], 0, 0).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    byte[] long448 =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            .getBytes(StandardCharsets.US_ASCII);
    assertThat(sha256.digest(long448, 0, long448.length).hex())
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }

  @Test
  void sha256OfARangeIncrementalAndOneShotAgree() {
    byte[] frame = "xxabcyy".getBytes(StandardCharsets.US_ASCII);
    Sha256 sha256 = new Sha256();
    Digest range = sha256.digest(frame, 2, 3);
    Digest incremental = sha256.update(frame, 2, 1).update(frame, 3, 2).finish();
    assertThat(range).isEqualTo(incremental);
    assertThat(range.hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Digest.of(range.toArray(), 0)).isEqualTo(range);
  }
}
