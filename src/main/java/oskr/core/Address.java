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
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    if (bracketed) host = host.substring(1, host.length() - 1);
    // "fe80::1:7001" could be a host with a port or a bare IPv6 address: insist on brackets.
    if (!bracketed && host.indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "an IPv6 host needs brackets, as in [::1]:7001, got '" + text + "'");
    }
    if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
      throw new IllegalArgumentException("stray bracket in '" + text + "'");
    }
    String portText = text.substring(colon + 1);
    // ASCII digits only: parseInt would also take "+80" and non-Latin digits.
    if (!portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("port is not a number in '" + text + "'");
    }
    int port = portText.length() > 5 ? -1 : Integer.parseInt(portText);
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
