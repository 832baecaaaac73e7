package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} in native memory: written for sends, read for
 * receives. A slot is {@link #STRIDE} bytes, room for either.
 */
final class SockAddrs {
  private SockAddrs() {}

  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int IN_SIZE = 16;
  static final int IN6_SIZE = 28;

  /** One slot: a sockaddr_in6 rounded up to 8 bytes. */
  static final int STRIDE = 32;

  private static final ValueLayout.OfShort PORT =
      JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN); // in_port_t is in network order
  private static final ValueLayout.OfInt IPV4 = JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
  private static final byte[] V4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1};

  /**
   * Writes {@code to} at {@code offset} for a socket of the given family (an IPv6 socket reaches an
   * IPv4 address through its v4-mapped form).
   *
   * @return the name length, or -1 if this socket cannot reach {@code to} (unresolved, or IPv6 from
   *     an IPv4 socket)
   */
  static int write(MemorySegment names, long offset, InetSocketAddress to, boolean ipv6Socket) {
    InetAddress address = to.getAddress();
    if (address == null) return -1;
    byte[] bytes = address.getAddress();
    if (!ipv6Socket) {
      if (bytes.length != 4) return -1;
      names.set(JAVA_SHORT, offset, (short) AF_INET);
      names.set(PORT, offset + 2, (short) to.getPort());
      MemorySegment.copy(bytes, 0, names, JAVA_BYTE, offset + 4, 4);
      names.set(JAVA_LONG, offset + 8, 0L); // sin_zero
      return IN_SIZE;
    }
    names.set(JAVA_SHORT, offset, (short) AF_INET6);
    names.set(PORT, offset + 2, (short) to.getPort());
    names.set(JAVA_INT, offset + 4, 0); // flow info
    if (bytes.length == 4) {
      MemorySegment.copy(V4_MAPPED_PREFIX, 0, names, JAVA_BYTE, offset + 8, 12);
      MemorySegment.copy(bytes, 0, names, JAVA_BYTE, offset + 20, 4);
    } else {
      MemorySegment.copy(bytes, 0, names, JAVA_BYTE, offset + 8, 16);
    }
    int scope = address instanceof Inet6Address v6 ? v6.getScopeId() : 0;
    names.set(JAVA_INT, offset + 24, scope);
    return IN6_SIZE;
  }

  /**
   * Reads the address the kernel wrote at {@code offset} ({@code length} bytes).
   *
   * @return null if it is neither a whole sockaddr_in nor a whole sockaddr_in6
   */
  static InetSocketAddress read(MemorySegment names, long offset, int length) {
    int family = names.get(JAVA_SHORT, offset) & 0xffff;
    int port = names.get(PORT, offset + 2) & 0xffff;
    try {
      if (family == AF_INET && length >= IN_SIZE) {
        byte[] bytes = new byte[4];
        MemorySegment.copy(names, JAVA_BYTE, offset + 4, bytes, 0, 4);
        return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
      }
      if (family == AF_INET6 && length >= IN6_SIZE) {
        byte[] bytes = new byte[16];
        MemorySegment.copy(names, JAVA_BYTE, offset + 8, bytes, 0, 16);
        int scope = names.get(JAVA_INT, offset + 24);
        // getByAddress turns a v4-mapped address into an Inet4Address, as NIO reports it.
        InetAddress address = InetAddress.getByAddress(bytes);
        if (address instanceof Inet6Address && scope != 0) {
          address = Inet6Address.getByAddress(null, bytes, scope);
        }
        return new InetSocketAddress(address, port);
      }
    } catch (UnknownHostException e) {
      throw new AssertionError("raw address bytes of a valid length", e);
    }
    return null;
  }

  /**
   * The IPv4 senders a socket saw recently, so that a receive does not build a new address per
   * datagram: direct-mapped, a miss replaces the slot. Loop thread only.
   */
  static final class Cache {
    private static final int SIZE = 1 << 8;
    private final long[] keys = new long[SIZE];
    private final InetSocketAddress[] values = new InetSocketAddress[SIZE];

    /** The sender at {@code offset}; null as {@link #read}. */
    InetSocketAddress read(MemorySegment names, long offset, int length) {
      int family = names.get(JAVA_SHORT, offset) & 0xffff;
      if (family != AF_INET || length < IN_SIZE) return SockAddrs.read(names, offset, length);
      long ip = names.get(IPV4, offset + 4) & 0xffffffffL;
      long key = (ip << 16 | (names.get(PORT, offset + 2) & 0xffff)) + 1; // 0 marks empty
      int slot = (int) (key * 0x9E3779B97F4A7C15L >>> 56) & (SIZE - 1);
      if (keys[slot] == key) return values[slot];
      InetSocketAddress address = SockAddrs.read(names, offset, length);
      keys[slot] = key;
      values[slot] = address;
      return address;
    }
  }
}
