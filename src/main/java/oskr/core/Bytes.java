package oskr.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality. Records hold {@code Bytes}, never {@code byte[]},
 * so messages stay immutable and compare by content.
 */
public final class Bytes implements Comparable<Bytes> {
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;
  private int hash;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** A copy of {@code data}: later changes to the array do not show through. */
  public static Bytes copyOf(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data.clone());
  }

  public static Bytes copyOf(byte[] data, int offset, int length) {
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(data, offset, offset + length));
  }

  /**
   * Takes ownership of {@code data} without a copy. The caller must never write to the array again;
   * used on hot paths where the array was just made (decoders, signers).
   */
  public static Bytes adopt(byte[] data) {
    return data.length == 0 ? EMPTY : new Bytes(data);
  }

  public static Bytes utf8(String text) {
    return adopt(text.getBytes(StandardCharsets.UTF_8));
  }

  public int length() {
    return data.length;
  }

  public byte get(int index) {
    return data[index];
  }

  public byte[] toArray() {
    return data.clone();
  }

  /** Copies the content into {@code target} at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(data, 0, target, offset, data.length);
  }

  /** Read-only access for code that must not copy (codecs, crypto); never mutate the result. */
  public byte[] unsafeArray() {
    return data;
  }

  public String utf8String() {
    return new String(data, StandardCharsets.UTF_8);
  }

  public String hex() {
    return HexFormat.of().formatHex(data);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bytes that && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0 && data.length > 0) {
      h = Arrays.hashCode(data);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(data, other.data);
  }

  @Override
  public String toString() {
    return data.length <= 16
        ? "0x" + hex()
        : "0x" + HexFormat.of().formatHex(data, 0, 16) + "…(" + data.length + " B)";
  }
}
