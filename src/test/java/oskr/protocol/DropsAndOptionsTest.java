package oskr.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.core.Limits;
import oskr.core.crypto.Scheme;

class DropsAndOptionsTest {
  @Test
  void dropsCountByReasonInSortedOrder() {
    Drops drops = new Drops();
    drops.count("stale request");
    drops.count("bad signature");
    drops.count("stale request");
    assertThat(drops.get("stale request")).isEqualTo(2);
    assertThat(drops.get("never seen")).isZero();
    assertThat(drops.total()).isEqualTo(3);
    assertThat(drops.snapshot().keySet()).containsExactly("bad signature", "stale request");
    assertThat(drops).hasToString("{bad signature=1, stale request=2}");
  }

  @Test
  void aDropsSnapshotIsACopy() {
    Drops drops = new Drops();
    drops.count("a");
    var snapshot = drops.snapshot();
    drops.count("a");
    assertThat(snapshot).containsEntry("a", 1L);
    assertThatThrownBy(() -> snapshot.put("b", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void optionsAreValidatedAndCopiedOnChange() {
    Options defaults = Options.defaults();
    assertThat(defaults.batchSizeMax()).isEqualTo(1);
    Options changed =
        defaults
            .withScheme(Scheme.ED25519)
            .withBatchSizeMax(Limits.BATCH_MAX)
            .withResendTimeout(Duration.ofSeconds(1));
    assertThat(changed)
        .isEqualTo(new Options(Limits.BATCH_MAX, Scheme.ED25519, Duration.ofSeconds(1)));
    assertThat(defaults.scheme()).isEqualTo(Scheme.SECP256K1);
    assertThatThrownBy(() -> defaults.withBatchSizeMax(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withBatchSizeMax(Limits.BATCH_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withResendTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schemesParseTheirCommandLineNamesOnly() {
    assertThat(Scheme.parse("secp256k1")).isEqualTo(Scheme.SECP256K1);
    assertThat(Scheme.parse("ed25519")).isEqualTo(Scheme.ED25519);
    assertThat(Scheme.parse("hmac")).isEqualTo(Scheme.HMAC);
    assertThatThrownBy(() -> Scheme.parse("rsa"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected secp256k1, ed25519 or hmac");
  }
}
