package oskr.app.ycsb;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * YCSB's workload properties, read as {@code java.util.Properties} reads a property file (the
 * caller loads the file and applies {@code -p} overrides on top), with typed access: a value that
 * does not parse is an {@link IllegalArgumentException} naming the property.
 */
public final class WorkloadProperties {
  private final TreeMap<String, String> values;

  public WorkloadProperties(Map<String, String> values) {
    this.values = new TreeMap<>(values);
  }

  /** The properties of a {@link java.util.Properties} (a loaded file with overrides applied). */
  public static WorkloadProperties of(java.util.Properties loaded) {
    TreeMap<String, String> values = new TreeMap<>();
    for (String name : loaded.stringPropertyNames()) values.put(name, loaded.getProperty(name));
    return new WorkloadProperties(values);
  }

  public Map<String, String> asMap() {
    return new TreeMap<>(values);
  }

  String text(String name, String fallback) {
    return values.getOrDefault(name, fallback).trim();
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  long integer(String name, long fallback, long min, long max) {
    if (!has(name)) return fallback;
    long value;
    try {
      value = Long.parseLong(text(name, ""));
    } catch (NumberFormatException e) {
      throw bad(name, "an integer");
    }
    if (value < min || value > max) throw bad(name, "in " + min + ".." + max);
    return value;
  }

  double fraction(String name, double fallback) {
    if (!has(name)) return fallback;
    double value;
    try {
      value = Double.parseDouble(text(name, ""));
    } catch (NumberFormatException e) {
      throw bad(name, "a number");
    }
    if (!(value >= 0 && value <= 1)) throw bad(name, "in [0, 1]");
    return value;
  }

  /**
   * YCSB parses booleans with {@code Boolean.parseBoolean}; here anything but true/false is wrong.
   */
  boolean bool(String name, boolean fallback) {
    if (!has(name)) return fallback;
    String text = text(name, "").toLowerCase(Locale.ROOT);
    if (text.equals("true")) return true;
    if (text.equals("false")) return false;
    throw bad(name, "true or false");
  }

  /** One of {@code choices}; {@code fallback} when absent. */
  String choice(String name, String fallback, String... choices) {
    String value = text(name, fallback);
    for (String choice : choices) if (choice.equals(value)) return value;
    throw new IllegalArgumentException(
        "property " + name + "=" + value + ": expected one of " + String.join(", ", choices));
  }

  private IllegalArgumentException bad(String name, String expected) {
    return new IllegalArgumentException(
        "property " + name + "=" + values.get(name) + ": expected " + expected);
  }
}
