package oskr.core;

import java.util.HexFormat;

/** A SHA-256 digest held as four big-endian longs: immutable, value equality, cheap to hash. */
public record Digest(long w0, long w1, long w2, long w3) {
  public static final int LENGTH = 32;
  public static final Digest ZERO = new Digest(0, 0, 0, 0);

  public static Digest of(byte[] bytes, int offset) {
    return new Digest(
        Writer.readLong(bytes, offset),
        Writer.readLong(bytes, offset + 8),
        Writer.readLong(bytes, offset + 16),
        Writer.readLong(bytes, offset + 24));
  }

  public byte[] toArray() {
    byte[] out = new byte[LENGTH];
    Writer.writeLong(out, 0, w0);
    Writer.writeLong(out, 8, w1);
    Writer.writeLong(out, 16, w2);
    Writer.writeLong(out, 24, w3);
    return out;
  }

  public String hex() {
    return HexFormat.of().formatHex(toArray());
  }

  @Override
  public String toString() {
    return hex().substring(0, 12);
  }
}
