package oskr.runtime.udp;

/**
 * Tagged datagrams: the many closed-loop clients of one {@link SharedClientSocket} share its
 * address, so each datagram to or from one of them names the client by a tag in front of it:
 *
 * <pre>
 * u8  marker = 0xF1 (neither a frame version nor the fragment marker)
 * u32 tag (0 to 2^31-1: the client's index on its socket)
 * the datagram as it would travel untagged: a frame, or a fragment
 * </pre>
 *
 * A replica's runtime reads the tag off and names the sender by address and tag; its replies to
 * that name carry the tag again, and the shared socket hands each reply to the client it names.
 * Sharing one address is what lets the requests of many clients to one replica, and the replies of
 * one batch to one client socket, leave as one segmented send (UDP GSO).
 */
public final class Tags {
  private Tags() {}

  public static final int MARKER = 0xF1;
  public static final int HEADER_LENGTH = 1 + 4;

  /** No tag: a datagram to or from a socket of its own. */
  public static final int NONE = -1;

  public static final String MALFORMED = "datagram: malformed tag";

  public static boolean isTagged(byte[] datagram) {
    return datagram.length > 0 && (datagram[0] & 0xff) == MARKER;
  }

  /** The tag of a tagged datagram, or {@link #NONE} if it is too short or the tag out of range. */
  public static int tag(byte[] datagram) {
    if (datagram.length <= HEADER_LENGTH) return NONE;
    int tag =
        ((datagram[1] & 0xff) << 24)
            | ((datagram[2] & 0xff) << 16)
            | ((datagram[3] & 0xff) << 8)
            | (datagram[4] & 0xff);
    return tag < 0 ? NONE : tag;
  }

  static void write(byte[] out, int at, int tag) {
    assert tag >= 0 : tag;
    out[at] = (byte) MARKER;
    out[at + 1] = (byte) (tag >>> 24);
    out[at + 2] = (byte) (tag >>> 16);
    out[at + 3] = (byte) (tag >>> 8);
    out[at + 4] = (byte) tag;
  }

  /** {@code length} bytes of {@code data} from {@code offset}, tagged: a fresh array. */
  static byte[] tagged(int tag, byte[] data, int offset, int length) {
    byte[] out = new byte[HEADER_LENGTH + length];
    write(out, 0, tag);
    System.arraycopy(data, offset, out, HEADER_LENGTH, length);
    return out;
  }
}
