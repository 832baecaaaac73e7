package oskr.bench;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The little JSON the benchmark needs, without a library: string quoting for the writers, and a
 * strict parser for one flat object of strings, numbers, booleans and nulls (the client's result,
 * read back by {@code oskr bench}).
 */
public final class Json {
  private Json() {}

  /** Marks a JSON {@code null} among parsed values. */
  public static final Object NULL = new Object();

  /** {@code text} as a JSON string literal, with quotes, backslashes and controls escaped. */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * Parses one object whose values are strings ({@link String}), numbers ({@link BigDecimal}),
   * booleans ({@link Boolean}) or {@code null} ({@link #NULL}), keeping the key order.
   *
   * @throws IllegalArgumentException saying where the text is not such an object
   */
  public static Map<String, Object> parseFlatObject(String text) {
    return new Parser(text).object();
  }

  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    Map<String, Object> object() {
      Map<String, Object> fields = new LinkedHashMap<>();
      expect('{');
      if (peek() == '}') {
        at++;
      } else {
        do {
          String key = string();
          expect(':');
          if (fields.put(key, value()) != null) throw error("duplicate key " + quote(key));
        } while (comma());
        expect('}');
      }
      skipSpace();
      if (at != text.length()) throw error("text after the object");
      return Collections.unmodifiableMap(fields);
    }

    private boolean comma() {
      if (peek() != ',') return false;
      at++;
      return true;
    }

    private Object value() {
      char c = peek();
      if (c == '"') return string();
      if (text.startsWith("null", at)) return literal("null", NULL);
      if (text.startsWith("true", at)) return literal("true", Boolean.TRUE);
      if (text.startsWith("false", at)) return literal("false", Boolean.FALSE);
      if (c == '-' || (c >= '0' && c <= '9')) return number();
      throw error("expected a string, number, boolean or null");
    }

    private Object literal(String word, Object value) {
      at += word.length();
      return value;
    }

    private BigDecimal number() {
      int start = at;
      while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) at++;
      String literal = text.substring(start, at);
      if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
        throw error("malformed number '" + literal + "'");
      }
      return new BigDecimal(literal);
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (at >= text.length()) throw error("unterminated string");
        char c = text.charAt(at++);
        if (c == '"') return out.toString();
        if (c < 0x20) throw error("control character in a string");
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (at >= text.length()) throw error("unterminated escape");
        char escaped = text.charAt(at++);
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> out.append(unicodeEscape());
          default -> throw error("bad escape \\" + escaped);
        }
      }
    }

    private char unicodeEscape() {
      if (at + 4 > text.length()) throw error("short \\u escape");
      String hex = text.substring(at, at + 4);
      if (!hex.matches("[0-9a-fA-F]{4}")) throw error("bad \\u escape");
      at += 4;
      return (char) Integer.parseInt(hex, 16);
    }

    private void expect(char c) {
      if (peek() != c) throw error("expected '" + c + "'");
      at++;
    }

    /** The next non-space character, or 0 at the end. */
    private char peek() {
      skipSpace();
      return at < text.length() ? text.charAt(at) : 0;
    }

    private void skipSpace() {
      while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("malformed JSON at offset " + at + ": " + what);
    }
  }
}
