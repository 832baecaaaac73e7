package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the descriptor of a bound {@link DatagramChannel} without the JDK's internals (no {@code
 * --add-opens}): among this process's descriptors ({@code /proc/self/fd}) the one UDP socket whose
 * {@code getsockname} is the channel's local address. Two bound UDP sockets share an address only
 * with {@code SO_REUSEADDR} or {@code SO_REUSEPORT}, which the replicas' sockets do not set; any
 * ambiguity is refused, and the caller keeps that socket on plain NIO.
 */
final class SocketFd {
  private SocketFd() {}

  private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");

  /**
   * @throws IOException naming why no single descriptor matches
   */
  static int find(MmsgCalls calls, DatagramChannel channel) throws IOException {
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    if (local == null) throw new IOException("the channel is not bound");
    List<Integer> matches = new ArrayList<>();
    try (Arena arena = Arena.ofConfined();
        DirectoryStream<Path> entries = Files.newDirectoryStream(OWN_DESCRIPTORS)) {
      Probe probe = new Probe(calls, arena);
      for (Path entry : entries) {
        int fd;
        try {
          fd = Integer.parseInt(entry.getFileName().toString());
        } catch (NumberFormatException e) {
          continue;
        }
        if (local.equals(probe.udpName(fd))) matches.add(fd);
      }
    }
    if (matches.size() != 1) {
      throw new IOException(
          matches.size() + " UDP descriptors of this process are bound to " + local);
    }
    return matches.getFirst();
  }

  /** The socket queries, with their scratch memory. */
  private static final class Probe {
    private final MmsgCalls calls;
    private final MemorySegment errno;
    private final MemorySegment value;
    private final MemorySegment length;
    private final MemorySegment name;

    Probe(MmsgCalls calls, Arena arena) {
      this.calls = calls;
      this.errno = MmsgCalls.newErrnoSegment(arena);
      this.value = arena.allocate(JAVA_INT);
      this.length = arena.allocate(JAVA_INT);
      this.name = arena.allocate(SockAddrs.STRIDE, 8);
    }

    /** The local address of {@code fd} if it is a UDP socket, else null. */
    InetSocketAddress udpName(int fd) {
      if (intOption(fd, MmsgCalls.SO_TYPE) != MmsgCalls.SOCK_DGRAM) return null;
      if (intOption(fd, MmsgCalls.SO_PROTOCOL) != MmsgCalls.IPPROTO_UDP) return null;
      length.set(JAVA_INT, 0, SockAddrs.STRIDE);
      if (calls.getsockname(errno, fd, name, length) != 0) return null;
      return SockAddrs.read(name, 0, length.get(JAVA_INT, 0));
    }

    /** A SOL_SOCKET option of {@code fd}, or -1 (not a socket, closed meanwhile). */
    private int intOption(int fd, int option) {
      length.set(JAVA_INT, 0, (int) JAVA_INT.byteSize());
      if (calls.getsockopt(errno, fd, MmsgCalls.SOL_SOCKET, option, value, length) != 0) return -1;
      return value.get(JAVA_INT, 0);
    }
  }
}
