package oskr.runtime.udp;

import oskr.core.Limits;

/**
 * The wire format of a fragment. A frame of at most {@link Limits#DATAGRAM_MAX} bytes travels as
 * one datagram, as it is (its first byte is the frame format version). A larger frame travels as
 * fragments, each one datagram:
 *
 * <pre>
 * u8  marker = 0xF0 (never a frame version)
 * u64 frame id (unique per sending socket)
 * u32 frame length (above DATAGRAM_MAX, at most FRAME_MAX)
 * u16 fragment index, u16 fragment count (count = ceil(length / PAYLOAD_MAX))
 * the payload: PAYLOAD_MAX bytes, the last fragment the rest
 * </pre>
 *
 * A lost fragment loses the frame: protocols already resend what matters.
 */
public final class Fragments {
  private Fragments() {}

  public static final int MARKER = 0xF0;
  public static final int HEADER_LENGTH = 1 + 8 + 4 + 2 + 2;
  public static final int PAYLOAD_MAX = Limits.DATAGRAM_MAX - HEADER_LENGTH;
  public static final int COUNT_MAX = count(Limits.FRAME_MAX);

  static {
    assert COUNT_MAX <= 0xffff : "fragment count must fit a u16";
  }

  public static boolean isFragment(byte[] datagram) {
    return datagram.length > 0 && (datagram[0] & 0xff) == MARKER;
  }

  /** The number of fragments of a frame of {@code frameLength} bytes. */
  public static int count(int frameLength) {
    return (int) ((frameLength + (long) PAYLOAD_MAX - 1) / PAYLOAD_MAX);
  }

  /** The payload length of fragment {@code index}. */
  static int payloadLength(int frameLength, int index, int count) {
    return index < count - 1 ? PAYLOAD_MAX : frameLength - (count - 1) * PAYLOAD_MAX;
  }

  static void writeHeader(byte[] out, long frameId, int frameLength, int index, int count) {
    out[0] = (byte) MARKER;
    for (int i = 0; i < 8; i++) out[1 + i] = (byte) (frameId >>> (56 - 8 * i));
    for (int i = 0; i < 4; i++) out[9 + i] = (byte) (frameLength >>> (24 - 8 * i));
    out[13] = (byte) (index >>> 8);
    out[14] = (byte) index;
    out[15] = (byte) (count >>> 8);
    out[16] = (byte) count;
  }

  static long frameId(byte[] in) {
    long value = 0;
    for (int i = 0; i < 8; i++) value = (value << 8) | (in[1 + i] & 0xffL);
    return value;
  }

  /** The frame length field; negative values stay negative so range checks reject them. */
  static int frameLength(byte[] in) {
    return ((in[9] & 0xff) << 24)
        | ((in[10] & 0xff) << 16)
        | ((in[11] & 0xff) << 8)
        | (in[12] & 0xff);
  }

  static int index(byte[] in) {
    return ((in[13] & 0xff) << 8) | (in[14] & 0xff);
  }

  static int count(byte[] in) {
    return ((in[15] & 0xff) << 8) | (in[16] & 0xff);
  }
}
