package oskr.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * What happened in a run, one readable line per event or effect, each prefixed with its virtual
 * time. Every line feeds a running SHA-256, so two runs of one seed compare by {@link #hash()};
 * only the last {@code tailMax} lines are kept in memory (for a failing test to print), and a sink
 * may see every line as it is written.
 */
public final class Trace {
  /** Longest text kept per line: message descriptions can be large. */
  static final int LINE_MAX = 240;

  private final int tailMax;
  private final Consumer<String> sink;
  private final ArrayDeque<String> tail;
  private final MessageDigest digest;
  private long lines;

  /**
   * @param tailMax lines kept in memory
   * @param sink sees every line as it is written; {@code line -> {}} for none
   */
  public Trace(int tailMax, Consumer<String> sink) {
    if (tailMax < 0) throw new IllegalArgumentException("negative tail");
    this.tailMax = tailMax;
    this.sink = sink;
    this.tail = new ArrayDeque<>(Math.min(tailMax, 1024));
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Appends a line at virtual time {@code nanos}. */
  public void add(long nanos, String text) {
    if (text.length() > LINE_MAX) text = text.substring(0, LINE_MAX) + "…";
    String line = formatTime(nanos) + " " + text;
    digest.update(line.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    lines++;
    if (tailMax > 0) {
      if (tail.size() == tailMax) tail.removeFirst();
      tail.addLast(line);
    }
    sink.accept(line);
  }

  /** Lines written so far. */
  public long lines() {
    return lines;
  }

  /** The SHA-256 of every line so far, in hex: equal for two runs of one seed. */
  public String hash() {
    try {
      MessageDigest copy = (MessageDigest) digest.clone();
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }

  /** The last {@code count} lines kept, oldest first. */
  public List<String> tail(int count) {
    List<String> all = new ArrayList<>(tail);
    return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
  }

  /** The last {@code count} lines as one text, for a failing test's message. */
  public String tailText(int count) {
    return "last trace lines (of " + lines + "):\n" + String.join("\n", tail(count));
  }

  /** Virtual nanoseconds as milliseconds with six decimals, right-aligned: {@code " 12.000345"}. */
  public static String formatTime(long nanos) {
    String millis = Long.toString(nanos / 1_000_000);
    String fraction = Long.toString(1_000_000 + nanos % 1_000_000).substring(1);
    String pad = millis.length() < 6 ? "      ".substring(millis.length()) : "";
    return pad + millis + "." + fraction;
  }
}
