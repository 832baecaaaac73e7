package oskr.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Config;
import oskr.runtime.udp.Tags;

/**
 * Translates between the protocol's {@link Address} and socket addresses, with bounded caches. A
 * replica's socket address always maps back to the config's {@code Address} for it, so a protocol
 * can compare senders with {@code config.replica(i)} even when the config names a host. Only config
 * hosts are ever looked up in DNS (at start); other addresses are IP literals. Confined to one
 * thread; every thread that translates has its own.
 *
 * <p>A client behind a shared socket ({@link oskr.runtime.udp.Tags}) is named {@code IP/TAG:PORT}:
 * the host is the IP literal, a slash and the tag as eight hex digits (fixed width, so that the
 * requests of clients that carry their address have one size). Protocols carry the name as they
 * carry any host; only this class reads the tag out of it.
 */
final class Addresses {
  /** Entries per cache; past it the cache starts over (a flood of senders costs lookups only). */
  static final int CACHE_MAX = 1 << 16;

  private final Config config;
  private final InetSocketAddress[] replicas;
  private final HashMap<InetSocketAddress, Address> addresses = new HashMap<>();
  private final HashMap<Tagged, Address> taggedAddresses = new HashMap<>();
  private final HashMap<Address, Endpoint> endpoints = new HashMap<>();

  /** Where datagrams to an {@link Address} go: a socket address, and a tag or {@link Tags#NONE}. */
  record Endpoint(InetSocketAddress socket, int tag) {}

  private record Tagged(InetSocketAddress socket, int tag) {}

  /** The separator of a tagged host, never part of an IP literal. */
  private static final char TAG_SEPARATOR = '/';

  private static final int TAG_DIGITS = 8;

  Addresses(Config config, InetSocketAddress[] replicas) {
    this.config = config;
    this.replicas = replicas.clone();
    preload();
  }

  /**
   * Resolves every replica's address of the config.
   *
   * @throws IOException naming the address that does not resolve
   */
  static InetSocketAddress[] resolve(Config config) throws IOException {
    InetSocketAddress[] resolved = new InetSocketAddress[config.n()];
    for (int i = 0; i < resolved.length; i++)
      resolved[i] = resolve(config.replica(i), "replica " + i);
    return resolved;
  }

  static Optional<InetSocketAddress> resolveMulticast(Config config) throws IOException {
    if (config.multicast().isEmpty()) return Optional.empty();
    InetSocketAddress group = resolve(config.multicast().get(), "multicast");
    if (!group.getAddress().isMulticastAddress()) {
      throw new IOException(
          "multicast " + config.multicast().get() + " is not a multicast address");
    }
    return Optional.of(group);
  }

  private static InetSocketAddress resolve(Address address, String what) throws IOException {
    InetSocketAddress resolved = new InetSocketAddress(address.host(), address.port());
    if (resolved.isUnresolved())
      throw new IOException("cannot resolve " + what + " host " + address);
    return resolved;
  }

  /** The local IP address this machine sends from to reach {@code peer} (no packet is sent). */
  static InetAddress localAddressFor(InetSocketAddress peer) throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.connect(peer);
      return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
    }
  }

  private void preload() {
    for (int i = 0; i < replicas.length; i++) {
      addresses.put(replicas[i], config.replica(i));
      endpoints.put(config.replica(i), new Endpoint(replicas[i], Tags.NONE));
    }
  }

  InetSocketAddress replica(int index) {
    return replicas[index];
  }

  int replicaCount() {
    return replicas.length;
  }

  /** The protocol's name for a sender. */
  Address address(InetSocketAddress from) {
    Address address = addresses.get(from);
    if (address != null) return address;
    address = of(from);
    if (addresses.size() >= CACHE_MAX) {
      addresses.clear();
      preload();
    }
    addresses.put(from, address);
    return address;
  }

  /** The protocol's name for a sender that tagged its datagram with {@code tag}. */
  Address address(InetSocketAddress from, int tag) {
    if (tag == Tags.NONE) return address(from);
    Tagged key = new Tagged(from, tag);
    Address address = taggedAddresses.get(key);
    if (address != null) return address;
    address = of(from, tag);
    if (taggedAddresses.size() >= CACHE_MAX) taggedAddresses.clear();
    taggedAddresses.put(key, address);
    return address;
  }

  static Address of(InetSocketAddress socket) {
    return new Address(socket.getAddress().getHostAddress(), socket.getPort());
  }

  /** The name of the client {@code tag} names behind {@code socket}, or the socket's own name. */
  static Address of(InetSocketAddress socket, int tag) {
    if (tag == Tags.NONE) return of(socket);
    assert tag >= 0 : tag;
    String hex = Integer.toHexString(tag);
    return new Address(
        socket.getAddress().getHostAddress()
            + TAG_SEPARATOR
            + "0".repeat(TAG_DIGITS - hex.length())
            + hex,
        socket.getPort());
  }

  /**
   * Where to send to {@code address}, or null if it is neither a config host nor an IP literal
   * (tagged or not).
   */
  Endpoint endpoint(Address address) {
    Endpoint endpoint = endpoints.get(address);
    if (endpoint != null) return endpoint;
    endpoint = parse(address);
    if (endpoint == null) return null;
    if (endpoints.size() >= CACHE_MAX) {
      endpoints.clear();
      preload();
    }
    endpoints.put(address, endpoint);
    return endpoint;
  }

  private static Endpoint parse(Address address) {
    String host = address.host();
    int tag = Tags.NONE;
    int separator = host.indexOf(TAG_SEPARATOR);
    if (separator >= 0) {
      String digits = host.substring(separator + 1);
      // Exactly the digits of(): parseInt alone would also take a sign and non-ASCII digits.
      if (digits.length() != TAG_DIGITS || !isHex(digits)) return null;
      tag = (int) Long.parseLong(digits, 16);
      if (tag < 0) return null;
      host = host.substring(0, separator);
    }
    try {
      return new Endpoint(new InetSocketAddress(InetAddress.ofLiteral(host), address.port()), tag);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isHex(String digits) {
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) return false;
    }
    return true;
  }
}
