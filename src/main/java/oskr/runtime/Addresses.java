package oskr.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Config;

/**
 * Translates between the protocol's {@link Address} and socket addresses, with bounded caches. A
 * replica's socket address always maps back to the config's {@code Address} for it, so a protocol
 * can compare senders with {@code config.replica(i)} even when the config names a host. Only config
 * hosts are ever looked up in DNS (at start); other addresses are IP literals. Confined to one
 * thread; every thread that translates has its own.
 */
final class Addresses {
  /** Entries per cache; past it the cache starts over (a flood of senders costs lookups only). */
  static final int CACHE_MAX = 1 << 16;

  private final Config config;
  private final InetSocketAddress[] replicas;
  private final HashMap<InetSocketAddress, Address> addresses = new HashMap<>();
  private final HashMap<Address, InetSocketAddress> sockets = new HashMap<>();

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
      sockets.put(config.replica(i), replicas[i]);
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

  static Address of(InetSocketAddress socket) {
    return new Address(socket.getAddress().getHostAddress(), socket.getPort());
  }

  /** Where to send to {@code address}, or null if it is neither a config host nor an IP literal. */
  InetSocketAddress socket(Address address) {
    InetSocketAddress socket = sockets.get(address);
    if (socket != null) return socket;
    try {
      socket = new InetSocketAddress(InetAddress.ofLiteral(address.host()), address.port());
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (sockets.size() >= CACHE_MAX) {
      sockets.clear();
      preload();
    }
    sockets.put(address, socket);
    return socket;
  }
}
