package oskr.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deployment in the seed's format: {@code f N}, one {@code replica HOST:PORT} per replica (the
 * replica's id is its position), an optional {@code multicast HOST:PORT}, {@code #} comments and
 * blank lines.
 */
public record Config(int f, List<Address> replicas, Optional<Address> multicast) {
  public Config {
    replicas = List.copyOf(replicas);
    if (f < 0) throw new IllegalArgumentException("f must not be negative");
    if (replicas.isEmpty()) throw new IllegalArgumentException("no replica");
    if (replicas.size() > Limits.REPLICAS_MAX) throw new IllegalArgumentException("too many replicas");
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
   * @param fileName named in every error, with the line number
   * @throws ConfigException on the first bad line, saying what was expected
   */
  public static Config parse(String text, String fileName) throws ConfigException {
    Integer f = null;
    List<Address> replicas = new ArrayList<>();
    Address multicast = null;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String where = fileName + ":" + (i + 1) + ": ";
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash);
      line = line.strip();
      if (line.isEmpty()) continue;
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "f" -> {
          if (f != null) throw new ConfigException(where + "a second 'f' line");
          if (words.length != 2) throw new ConfigException(where + "expected 'f N'");
          try {
            f = Integer.parseInt(words[1]);
          } catch (NumberFormatException e) {
            throw new ConfigException(where + "expected 'f N' with a number, got '" + words[1] + "'");
          }
          if (f < 0) throw new ConfigException(where + "f must not be negative");
        }
        case "replica" -> {
          if (words.length != 2) throw new ConfigException(where + "expected 'replica HOST:PORT'");
          Address address = address(words[1], where, "replica");
          if (replicas.contains(address)) {
            throw new ConfigException(where + "replica " + address + " is listed twice");
          }
          replicas.add(address);
        }
        case "multicast" -> {
          if (multicast != null) throw new ConfigException(where + "a second 'multicast' line");
          if (words.length != 2) throw new ConfigException(where + "expected 'multicast HOST:PORT'");
          multicast = address(words[1], where, "multicast");
        }
        default ->
            throw new ConfigException(
                where + "unknown directive '" + words[0] + "', expected f, replica or multicast");
      }
    }
    if (f == null) throw new ConfigException(fileName + ": missing 'f N' line");
    if (replicas.isEmpty()) throw new ConfigException(fileName + ": no 'replica HOST:PORT' line");
    if (replicas.size() > Limits.REPLICAS_MAX) {
      throw new ConfigException(fileName + ": at most " + Limits.REPLICAS_MAX + " replicas");
    }
    return new Config(f, replicas, Optional.ofNullable(multicast));
  }

  private static Address address(String text, String where, String what) throws ConfigException {
    try {
      return Address.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + "expected '" + what + " HOST:PORT': " + e.getMessage());
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
          fileName + ": " + protocol + " needs " + rule + " = " + required + " replicas for f = "
              + f + ", the config lists " + n());
    }
  }
}
