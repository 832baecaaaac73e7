package oskr.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Bytes;
import oskr.sim.SimKeys;

/**
 * A remembered check is the check: valid signatures stay valid, forged ones stay invalid, and a
 * signature is never taken for another message's or another signer's.
 */
class VerifyMemoTest {
  private static final byte[] MESSAGE = "prepare 7".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OTHER = "prepare 8".getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void rememberedOutcomesEqualTheVerifiers(Scheme scheme) {
    SimKeys keys = new SimKeys(5, 4, scheme);
    VerifyMemo memo = new VerifyMemo();
    Crypto signer = new Crypto(keys.replica(1));
    Crypto plain = new Crypto(keys.replica(2));
    Crypto remembering = new Crypto(keys.replica(2), memo);
    Crypto another = new Crypto(keys.replica(3), memo);
    Bytes signature = signer.sign(MESSAGE, 0, MESSAGE.length);
    byte[] flipped = signature.toArray();
    flipped[flipped.length - 1] ^= 1;
    Bytes forged = Bytes.adopt(flipped);

    for (int round = 0; round < 2; round++) {
      assertThat(remembering.verify(1, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
      assertThat(another.verify(1, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
      assertThat(remembering.verify(1, MESSAGE, 0, MESSAGE.length, forged)).isFalse();
      assertThat(remembering.verify(1, OTHER, 0, OTHER.length, signature)).isFalse();
      assertThat(remembering.verify(0, MESSAGE, 0, MESSAGE.length, signature)).isFalse();
    }
    assertThat(plain.verify(1, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
    assertThat(memo.misses()).as("distinct checks").isEqualTo(4);
    assertThat(memo.hits()).as("repeated checks").isEqualTo(6);

    Bytes key = signer.ownVerifyingKey();
    assertThat(remembering.verifyWithKey(key, MESSAGE, 0, MESSAGE.length, signature)).isTrue();
    assertThat(remembering.verifyWithKey(key, MESSAGE, 0, MESSAGE.length, forged)).isFalse();
    assertThat(memo.hits()).as("the same key by value").isEqualTo(8);
  }
}
