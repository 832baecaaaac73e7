package oskr.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deployment in the original Oskr's format: {@code f N}, one {@code replica HOST:PORT} per
 * replica (the replica's id is its position), an optional {@code multicast HOST:PORT}, {@code #}
 * comments and blank lines.
 */
public record Config(int f, List<Address> replicas, Optional<Address> multicast) {
  public Config {
    replicas = List.copyOf(replicas);
    if (f < 0) throw new IllegalArgumentException("f must not be negative");
    if (replicas.isEmpty()) throw new IllegalArgumentException("no replica");
    if (replicas.size() > Limits.REPLICAS_MAX)
      throw new IllegalArgumentException("too many replicas");
  }

  public static Config of(int f, List<Address> replicas) {
    return new Config(f, replicas, Optional.empty());
  }

  public int n() {
    return replicas.size();
  }

  public Address replica(int index) {
    return replicas.get(index);
  }

  /** The index of the replica at {@code address}, or -1 for a non-member. */
  public int indexOf(Address address) {
    return replicas.indexOf(address);
  }

  /**
   * Parses the text of a config file.
   *
   * @param fileName named in every error, with the line number of the offending line
   * @throws ConfigException on the first bad line, saying what was expected
   */
  public static Config parse(String text, String fileName) throws ConfigException {
    Parser parser = new Parser(fileName);
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash);
      line = line.strip();
      if (!line.isEmpty()) parser.line(i + 1, line.split("\\s+"));
    }
    return parser.finish();
  }

  /** The state of one parse, so that each error can point back at the line it conflicts with. */
  private static final class Parser {
    private final String fileName;
    private int f = -1;
    private int fLine;
    private final List<Address> replicas = new ArrayList<>();
    private final List<Integer> replicaLines = new ArrayList<>();
    private Address multicast;
    private int multicastLine;

    Parser(String fileName) {
      this.fileName = fileName;
    }

    void line(int number, String[] words) throws ConfigException {
      String where = fileName + ":" + number + ": ";
      switch (words[0]) {
        case "f" -> f(number, words, where);
        case "replica" -> replica(number, words, where);
        case "multicast" -> multicast(number, words, where);
        default ->
            throw new ConfigException(
                where + "unknown directive '" + words[0] + "', expected f, replica or multicast");
      }
    }

    private void f(int number, String[] words, String where) throws ConfigException {
      if (fLine != 0) {
        throw new ConfigException(where + "expected one 'f N' line, the first is line " + fLine);
      }
      if (words.length != 2) throw new ConfigException(where + "expected 'f N'");
      int value;
      try {
        value = Integer.parseInt(words[1]);
      } catch (NumberFormatException e) {
        throw new ConfigException(where + "expected 'f N' with a number, got '" + words[1] + "'");
      }
      if (value < 0) {
        throw new ConfigException(where + "expected 'f N' with N >= 0, got '" + words[1] + "'");
      }
      f = value;
      fLine = number;
    }

    private void replica(int number, String[] words, String where) throws ConfigException {
      if (words.length != 2) throw new ConfigException(where + "expected 'replica HOST:PORT'");
      Address address = address(words[1], where, "replica");
      int first = replicas.indexOf(address);
      if (first >= 0) {
        throw new ConfigException(
            where
                + "replica "
                + address
                + " is listed twice (first on line "
                + replicaLines.get(first)
                + "), expected one address per replica");
      }
      if (replicas.size() == Limits.REPLICAS_MAX) {
        throw new ConfigException(
            where + "expected at most " + Limits.REPLICAS_MAX + " 'replica' lines");
      }
      replicas.add(address);
      replicaLines.add(number);
    }

    private void multicast(int number, String[] words, String where) throws ConfigException {
      if (multicastLine != 0) {
        throw new ConfigException(
            where + "expected at most one 'multicast' line, the first is line " + multicastLine);
      }
      if (words.length != 2) throw new ConfigException(where + "expected 'multicast HOST:PORT'");
      multicast = address(words[1], where, "multicast");
      multicastLine = number;
    }

    private static Address address(String text, String where, String what) throws ConfigException {
      try {
        return Address.parse(text);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(where + "expected '" + what + " HOST:PORT': " + e.getMessage());
      }
    }

    Config finish() throws ConfigException {
      if (fLine == 0) throw new ConfigException(fileName + ": expected an 'f N' line, found none");
      if (replicas.isEmpty()) {
        throw new ConfigException(fileName + ": expected a 'replica HOST:PORT' line, found none");
      }
      return new Config(f, replicas, Optional.ofNullable(multicast));
    }
  }

  /**
   * Checks n against what the protocol needs for this f.
   *
   * @param required the replica count the protocol needs, for example 3f+1
   * @param rule shown to the operator, for example "n = 3f+1"
   */
  public void requireReplicas(int required, String protocol, String rule, String fileName)
      throws ConfigException {
    if (n() != required) {
      throw new ConfigException(
          fileName
              + ": "
              + protocol
              + " needs "
              + rule
              + " = "
              + required
              + " replicas for f = "
              + f
              + ", the config lists "
              + n());
    }
  }
}
