package oskr.runtime.udp;

import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.util.Locale;

/**
 * The kernel UDP implementations a node can run on. All were measured (docs/transport.md); {@link
 * #DEFAULT} is the winner, the others stay selectable so the measurement can be repeated.
 */
public enum Transport {
  /** JDK {@code DatagramChannel} + {@code Selector}; sends go out on the calling thread. */
  NIO,
  /** Netty 4.2 native epoll: recvmmsg on busy sockets, sendmmsg for queued sends. */
  EPOLL,
  /**
   * NIO's channels and selector, but a busy socket is read with recvmmsg and an {@link Outbox}
   * sends with sendmmsg, called through the JDK's foreign function API on the channel's descriptor.
   * Where these calls are unavailable it says so in one line and runs as {@link #NIO}.
   */
  MMSG,
  /**
   * {@link #MMSG} with UDP segmentation offload: runs of datagrams to one target leave as one
   * segmented message ({@code UDP_SEGMENT}) and arrive coalesced ({@code UDP_GRO}). Where the
   * kernel refuses either, it says so in one line and runs without it.
   */
  GSO;

  /** The transport of replicas, clients and the echo server unless asked otherwise. */
  public static final Transport DEFAULT = GSO;

  /**
   * Starts a loop thread (a daemon).
   *
   * @param onWake called on the loop thread when a deadline set by {@link UdpLoop#wakeAt} is due
   * @throws IOException if the transport is not available on this machine
   */
  public UdpLoop newLoop(String threadName, Runnable onWake) throws IOException {
    return switch (this) {
      case NIO -> new NioLoop(threadName, onWake);
      case EPOLL -> {
        if (!Epoll.isAvailable()) {
          throw new IOException(
              "the epoll transport is not available here: " + Epoll.unavailabilityCause());
        }
        yield new EpollLoop(threadName, onWake);
      }
      case MMSG, GSO ->
          newMmsgLoop(threadName, onWake, MmsgCalls.system(), MmsgCalls.WARN_ONCE, this == GSO);
    };
  }

  /**
   * An mmsg loop with the given system calls, or a plain NIO loop (and one line to {@code notice})
   * if they are unavailable.
   */
  static UdpLoop newMmsgLoop(
      String threadName,
      Runnable onWake,
      MmsgCalls.Availability calls,
      java.util.function.Consumer<String> notice,
      boolean offload)
      throws IOException {
    return new NioLoop(threadName, onWake, calls.orFallBack(notice), offload);
  }

  /**
   * Whether this transport calls recvmmsg and sendmmsg: its sockets report {@link MmsgStats}, and
   * the clients of one loop share a socket ({@link SharedClientSocket}).
   */
  public boolean batchesSystemCalls() {
    return this == MMSG || this == GSO;
  }

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException listing the accepted names
   */
  public static Transport parse(String name) {
    for (Transport transport : values()) if (transport.cliName().equals(name)) return transport;
    throw new IllegalArgumentException(
        "unknown transport '" + name + "', expected nio, epoll, mmsg or gso");
  }

  /** An I/O error of a bind, rephrased to name the address and the likely cause. */
  static IOException bindFailure(Object address, Throwable cause) {
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("in use")) reason = "address already in use (is another node running?)";
    else if (lower.contains("assign requested")) reason = "not an address of this machine";
    return new IOException("cannot bind UDP " + address + ": " + reason, cause);
  }
}
