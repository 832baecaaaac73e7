package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.protocol.Options;
import oskr.protocol.ProtocolSettings;

class PbftSettingsTest {
  @Test
  void defaultsWhenOptionsCarryNone() {
    PbftSettings defaults = PbftSettings.of(Options.defaults());
    assertThat(defaults).isEqualTo(PbftSettings.DEFAULTS);
    assertThat(defaults.checkpointInterval()).isEqualTo(128);
    assertThat(defaults.watermarkWindow()).isEqualTo(256);
    assertThat(defaults.viewChangeTimeout()).isEqualTo(Duration.ofMillis(500));
    PbftSettings changed =
        defaults.withCheckpoints(10, 30).withViewChangeTimeout(Duration.ofSeconds(2));
    Options options = Options.defaults().withSettings(changed).withBatchSizeMax(7);
    assertThat(PbftSettings.of(options)).isEqualTo(changed);
    assertThat(PbftSettings.of(options).watermarkWindow()).isEqualTo(30);
  }

  @Test
  void anotherProtocolsSettingsAreRefused() {
    record Other() implements ProtocolSettings {}
    Options options = Options.defaults().withSettings(new Other());
    assertThatThrownBy(() -> PbftSettings.of(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PbftSettings");
  }

  @Test
  void theWindowIsAMultipleOfTheIntervalAndAtLeastTwice() {
    PbftSettings defaults = PbftSettings.DEFAULTS;
    assertThatThrownBy(() -> defaults.withCheckpoints(10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(10, 25))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withCheckpoints(1, PbftSettings.WATERMARK_WINDOW_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> defaults.withViewChangeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
