package oskr.runtime.udp;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux's batched UDP system calls ({@code sendmmsg}, {@code recvmmsg}), the two socket queries
 * that find a channel's descriptor ({@code getsockname}, {@code getsockopt}) and {@code setsockopt}
 * (segmentation offload: {@code UDP_SEGMENT}, {@code UDP_GRO}), called through the JDK's foreign
 * function API: no JNI, no extra library. Each call reports {@code errno} through a capture segment
 * ({@link #newErrnoSegment}) that belongs to one thread at a time.
 *
 * <p>The struct layouts used with these calls ({@link MmsgLayouts}) are the LP64 Linux ones (x86-64
 * and aarch64 alike); {@link #load} refuses other systems.
 */
final class MmsgCalls {
  private static final Logger log = LoggerFactory.getLogger(MmsgCalls.class);

  static final int MSG_DONTWAIT = 0x40;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int SOL_SOCKET = 1;
  static final int SO_TYPE = 3;
  static final int SO_PROTOCOL = 38;
  static final int SOCK_DGRAM = 2;
  static final int IPPROTO_UDP = 17;
  static final int SOL_UDP = 17;
  static final int UDP_SEGMENT = 103;
  static final int UDP_GRO = 104;

  private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
  private static final long ERRNO_OFFSET =
      ERRNO_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  private final MethodHandle sendmmsg;
  private final MethodHandle recvmmsg;
  private final MethodHandle getsockname;
  private final MethodHandle getsockopt;
  private final MethodHandle setsockopt;

  private MmsgCalls(Linker linker, SymbolLookup lookup) {
    Linker.Option errno = Linker.Option.captureCallState("errno");
    // int sendmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags)
    this.sendmmsg =
        link(
            linker,
            lookup,
            "sendmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            errno);
    // int recvmmsg(int fd, struct mmsghdr *vec, unsigned int vlen, int flags, struct timespec *t)
    this.recvmmsg =
        link(
            linker,
            lookup,
            "recvmmsg",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
            errno);
    // int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
    this.getsockname =
        link(
            linker,
            lookup,
            "getsockname",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            errno);
    // int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
    this.getsockopt =
        link(
            linker,
            lookup,
            "getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            errno);
    // int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
    this.setsockopt =
        link(
            linker,
            lookup,
            "setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
            errno);
  }

  private static MethodHandle link(
      Linker linker,
      SymbolLookup lookup,
      String name,
      FunctionDescriptor descriptor,
      Linker.Option option) {
    MemorySegment symbol =
        lookup
            .find(name)
            .orElseThrow(() -> new UnsupportedOperationException("no symbol " + name + " in libc"));
    return linker.downcallHandle(symbol, descriptor, option);
  }

  /** The calls from this JVM's C library, or why not (not Linux, FFM denied, no symbol). */
  static Availability system() {
    return SystemHolder.AVAILABILITY;
  }

  private static final class SystemHolder {
    static final Availability AVAILABILITY = probe();

    private static Availability probe() {
      Linker linker;
      try {
        linker = Linker.nativeLinker();
      } catch (RuntimeException e) {
        return Availability.unavailable("no native linker: " + e.getMessage());
      }
      return load(System.getProperty("os.name", ""), linker, linker.defaultLookup());
    }
  }

  /**
   * The calls found by {@code lookup}, or why they cannot be used. Never throws: whatever goes
   * wrong (another system, a missing symbol, native access denied) is the reason of the answer.
   */
  static Availability load(String osName, Linker linker, SymbolLookup lookup) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Availability.unavailable("not Linux (" + osName + ")");
    }
    if (ADDRESS.byteSize() != 8) return Availability.unavailable("not a 64-bit JVM");
    try {
      return new Availability(new MmsgCalls(linker, lookup), null);
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return Availability.unavailable(reason);
    }
  }

  /**
   * The batched calls, or null and the reason they are unavailable.
   *
   * @param calls null when unavailable
   * @param reason null when available
   */
  record Availability(MmsgCalls calls, String reason) {
    Availability {
      if ((calls == null) == (reason == null)) {
        throw new IllegalArgumentException("either calls or a reason");
      }
    }

    static Availability unavailable(String reason) {
      return new Availability(null, reason);
    }

    /**
     * The calls; when unavailable, tells {@code notice} why in one line and returns null (the
     * caller then uses plain NIO).
     */
    MmsgCalls orFallBack(Consumer<String> notice) {
      if (calls == null) notice.accept(fallbackLine(reason));
      return calls;
    }
  }

  static String fallbackLine(String reason) {
    return "the mmsg transport is unavailable (" + reason + "): using NIO";
  }

  /**
   * Where the fallback line goes: the runtime's log at WARN, the first time only (every loop of a
   * process falls back for the same reason, and one line says it).
   */
  static final Consumer<String> WARN_ONCE = once(log::warn);

  /** Passes the first line to {@code sink} and drops the others. Thread safe. */
  static Consumer<String> once(Consumer<String> sink) {
    AtomicBoolean said = new AtomicBoolean();
    return line -> {
      if (said.compareAndSet(false, true)) sink.accept(line);
    };
  }

  /** A segment for {@code errno}; one thread uses it at a time. */
  static MemorySegment newErrnoSegment(java.lang.foreign.Arena arena) {
    return arena.allocate(ERRNO_STATE);
  }

  static int errno(MemorySegment errnoSegment) {
    return errnoSegment.get(JAVA_INT, ERRNO_OFFSET);
  }

  int sendmmsg(MemorySegment errno, int fd, MemorySegment vector, int count) {
    try {
      return (int) sendmmsg.invokeExact(errno, fd, vector, count, MSG_DONTWAIT);
    } catch (Throwable t) {
      throw new IllegalStateException("sendmmsg", t); // a downcall throws only on a bug here
    }
  }

  int recvmmsg(MemorySegment errno, int fd, MemorySegment vector, int count) {
    try {
      return (int) recvmmsg.invokeExact(errno, fd, vector, count, MSG_DONTWAIT, MemorySegment.NULL);
    } catch (Throwable t) {
      throw new IllegalStateException("recvmmsg", t);
    }
  }

  int getsockname(MemorySegment errno, int fd, MemorySegment address, MemorySegment length) {
    try {
      return (int) getsockname.invokeExact(errno, fd, address, length);
    } catch (Throwable t) {
      throw new IllegalStateException("getsockname", t);
    }
  }

  int getsockopt(
      MemorySegment errno, int fd, int level, int name, MemorySegment value, MemorySegment length) {
    try {
      return (int) getsockopt.invokeExact(errno, fd, level, name, value, length);
    } catch (Throwable t) {
      throw new IllegalStateException("getsockopt", t);
    }
  }

  int setsockopt(
      MemorySegment errno, int fd, int level, int name, MemorySegment value, int length) {
    try {
      return (int) setsockopt.invokeExact(errno, fd, level, name, value, length);
    } catch (Throwable t) {
      throw new IllegalStateException("setsockopt", t);
    }
  }

  /**
   * Sets an {@code int} socket option on {@code fd}.
   *
   * @return 0, or the errno of the refusal
   */
  int setIntOption(int fd, int level, int name, int value) {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment option = scratch.allocate(JAVA_INT);
      option.set(JAVA_INT, 0, value);
      MemorySegment errno = newErrnoSegment(scratch);
      return setsockopt(errno, fd, level, name, option, 4) == 0 ? 0 : errno(errno);
    }
  }
}
