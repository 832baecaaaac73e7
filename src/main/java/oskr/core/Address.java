package oskr.core;

/**
 * A node's network address, {@code host:port}. The same value names a node in the simulator and
 * on UDP, so protocol code never sees a socket type.
 */
public record Address(String host, int port) implements Comparable<Address> {
  public Address {
    if (host == null || host.isEmpty()) throw new IllegalArgumentException("empty host");
    if (port < 0 || port > 0xffff) throw new IllegalArgumentException("port out of range: " + port);
  }

  /**
   * Parses {@code host:port} or {@code [v6]:port}.
   *
   * @throws IllegalArgumentException naming what was wrong
   */
  public static Address parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    if (port < 1 || port > 0xffff) {
      throw new IllegalArgumentException("port must be 1..65535 in '" + text + "'");
    }
    if (host.isEmpty()) throw new IllegalArgumentException("empty host in '" + text + "'");
    return new Address(host, port);
  }

  @Override
  public int compareTo(Address other) {
    int byHost = host.compareTo(other.host);
    return byHost != 0 ? byHost : Integer.compare(port, other.port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
