package oskr.runtime.udp;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * The C structs of {@code sendmmsg}/{@code recvmmsg} on LP64 Linux, and the vector both calls take:
 * {@code count} headers, header {@code i} naming sockaddr slot {@code i} and one iovec {@code i}
 * (one buffer per datagram, no control data).
 */
final class MmsgLayouts {
  private MmsgLayouts() {}

  /** {@code struct iovec { void *iov_base; size_t iov_len; }} */
  static final StructLayout IOVEC =
      MemoryLayout.structLayout(ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));

  /** {@code struct msghdr}: name, its length, the iovecs, control data, flags. */
  static final StructLayout MSGHDR =
      MemoryLayout.structLayout(
          ADDRESS.withName("msg_name"),
          JAVA_INT.withName("msg_namelen"),
          MemoryLayout.paddingLayout(4),
          ADDRESS.withName("msg_iov"),
          JAVA_LONG.withName("msg_iovlen"),
          ADDRESS.withName("msg_control"),
          JAVA_LONG.withName("msg_controllen"),
          JAVA_INT.withName("msg_flags"),
          MemoryLayout.paddingLayout(4));

  /** {@code struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }} */
  static final StructLayout MMSGHDR =
      MemoryLayout.structLayout(
          MSGHDR.withName("msg_hdr"), JAVA_INT.withName("msg_len"), MemoryLayout.paddingLayout(4));

  static final long MMSGHDR_SIZE = MMSGHDR.byteSize();
  static final long IOVEC_SIZE = IOVEC.byteSize();
  static final long MSG_NAME = hdr("msg_name");
  static final long MSG_NAMELEN = hdr("msg_namelen");
  static final long MSG_IOV = hdr("msg_iov");
  static final long MSG_IOVLEN = hdr("msg_iovlen");
  static final long MSG_CONTROL = hdr("msg_control");
  static final long MSG_CONTROLLEN = hdr("msg_controllen");
  static final long MSG_FLAGS = hdr("msg_flags");
  static final long MSG_LEN = MMSGHDR.byteOffset(groupElement("msg_len"));
  static final long IOV_BASE = IOVEC.byteOffset(groupElement("iov_base"));
  static final long IOV_LEN = IOVEC.byteOffset(groupElement("iov_len"));

  static {
    // The kernel's sizes on LP64 Linux; a layout typo would corrupt memory, so check them.
    if (MMSGHDR_SIZE != 64 || IOVEC_SIZE != 16 || MSG_IOV != 16 || MSG_FLAGS != 48)
      throw new AssertionError("mmsghdr layout");
  }

  private static long hdr(String field) {
    return MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement(field));
  }

  /**
   * Links {@code count} headers to their sockaddr slots ({@link SockAddrs#STRIDE} apart) and their
   * iovecs; the caller sets each iovec's buffer and length and each header's name length.
   */
  static void link(MemorySegment headers, MemorySegment iovecs, MemorySegment names, int count) {
    for (int i = 0; i < count; i++) {
      long header = i * MMSGHDR_SIZE;
      headers.set(ADDRESS, header + MSG_NAME, names.asSlice(i * SockAddrs.STRIDE));
      headers.set(JAVA_INT, header + MSG_NAMELEN, SockAddrs.STRIDE);
      headers.set(ADDRESS, header + MSG_IOV, iovecs.asSlice(i * IOVEC_SIZE));
      headers.set(JAVA_LONG, header + MSG_IOVLEN, 1);
      headers.set(ADDRESS, header + MSG_CONTROL, MemorySegment.NULL);
      headers.set(JAVA_LONG, header + MSG_CONTROLLEN, 0);
      headers.set(JAVA_INT, header + MSG_FLAGS, 0);
      headers.set(JAVA_INT, header + MSG_LEN, 0);
    }
  }

  /** Points iovec {@code i} at {@code length} bytes of {@code buffer} from {@code offset}. */
  static void setBuffer(
      MemorySegment iovecs, int i, MemorySegment buffer, long offset, long length) {
    assert offset >= 0 && offset + length <= buffer.byteSize() : "iovec outside its buffer";
    long iovec = i * IOVEC_SIZE;
    iovecs.set(JAVA_LONG, iovec + IOV_BASE, buffer.address() + offset); // no slice per datagram
    iovecs.set(JAVA_LONG, iovec + IOV_LEN, length);
  }
}
