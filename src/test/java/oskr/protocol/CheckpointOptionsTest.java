package oskr.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointOptionsTest {
  @Test
  void defaultsSuitPbft() {
    Options defaults = Options.defaults();
    assertThat(defaults.checkpointInterval()).isEqualTo(128);
    assertThat(defaults.watermarkWindow()).isEqualTo(256);
    assertThat(defaults.viewChangeTimeout()).isEqualTo(Duration.ofMillis(500));
    Options changed = defaults.withCheckpoints(10, 30).withViewChangeTimeout(Duration.ofSeconds(2));
    assertThat(changed.checkpointInterval()).isEqualTo(10);
    assertThat(changed.watermarkWindow()).isEqualTo(30);
    assertThat(changed.viewChangeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(changed.withBatchSizeMax(7).watermarkWindow()).isEqualTo(30);
  }

  @Test
  void theWindowIsAMultipleOfTheIntervalAndAtLeastTwice() {
    Options defaults = Options.defaults();
    assertThatThrownBy(() -> defaults.withCheckpoints(10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(10, 25))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(1, Options.WATERMARK_WINDOW_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withViewChangeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
