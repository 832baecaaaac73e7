package oskr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import oskr.core.Bytes;

class SmokeTest {
  @Test
  void bytesCompareByContent() {
    assertThat(Bytes.utf8("a")).isEqualTo(Bytes.copyOf(new byte[] {'a'}));
  }
}
