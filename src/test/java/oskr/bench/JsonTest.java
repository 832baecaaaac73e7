package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
  @Test
  void quoteEscapesWhatJsonRequires() {
    assertThat(Json.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\"");
    assertThat(Json.quote("é ✓")).isEqualTo("\"é ✓\"");
  }

  /** Seeded random strings, controls and surrogates included, survive quote and parse. */
  @Test
  void quotedStringsParseBack() {
    Random random = new Random(4);
    for (int round = 0; round < 1_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(20);
      for (int i = 0; i < length; i++) text.append((char) random.nextInt(0x3000));
      String value = text.toString();
      Map<String, Object> parsed =
          Json.parseFlatObject("{" + Json.quote("k") + ":" + Json.quote(value) + "}");
      assertThat(parsed.get("k")).isEqualTo(value);
    }
  }

  @Test
  void parsesEveryValueKind() {
    Map<String, Object> parsed =
        Json.parseFlatObject(
            " { \"s\" : \"x\\u0041\\/\", \"n\": -1.5e3, \"z\": 0, \"t\": true, \"f\": false,"
                + " \"null\": null } ");
    assertThat(parsed)
        .containsEntry("s", "xA/")
        .containsEntry("n", new BigDecimal("-1.5e3"))
        .containsEntry("z", BigDecimal.ZERO)
        .containsEntry("t", Boolean.TRUE)
        .containsEntry("f", Boolean.FALSE)
        .containsEntry("null", Json.NULL);
    assertThat(Json.parseFlatObject("{}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "{",
        "{\"a\" 1}",
        "{\"a\": 1,}",
        "{\"a\": 01}",
        "{\"a\": 1.}",
        "{\"a\": nul}",
        "{\"a\": \"x}",
        "{\"a\": \"\\q\"}",
        "{\"a\": 1} x",
        "{\"a\": 1, \"a\": 2}",
        "{a: 1}",
        "{\"a\": {\"b\": 1}}",
        "{\"a\": \"\\u12\"}",
        "{\"a\": \"tab\there\"}"
      })
  void rejectsWhatIsNotOneFlatObject(String text) {
    assertThatThrownBy(() -> Json.parseFlatObject(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("malformed JSON at offset");
  }
}
