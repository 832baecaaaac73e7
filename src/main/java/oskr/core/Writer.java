package oskr.core;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer for hand-written codecs. Not thread-safe; reuse one per
 * thread with {@link #reset()} to keep encoding allocation-free.
 */
public final class Writer {
  private byte[] buffer;
  private int position;

  public Writer() {
    this(256);
  }

  public Writer(int capacity) {
    buffer = new byte[Math.max(16, capacity)];
  }

  public Writer reset() {
    position = 0;
    return this;
  }

  public int position() {
    return position;
  }

  /** The live buffer: bytes [0, position()) are the encoding. Valid until the next write. */
  public byte[] buffer() {
    return buffer;
  }

  public byte[] toArray() {
    return Arrays.copyOf(buffer, position);
  }

  public Bytes toBytes() {
    return Bytes.adopt(toArray());
  }

  private void ensure(int more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }

  public Writer u8(int value) {
    assert value >= 0 && value <= 0xff : value;
    ensure(1);
    buffer[position++] = (byte) value;
    return this;
  }

  public Writer bool(boolean value) {
    return u8(value ? 1 : 0);
  }

  public Writer u16(int value) {
    assert value >= 0 && value <= 0xffff : value;
    ensure(2);
    buffer[position++] = (byte) (value >>> 8);
    buffer[position++] = (byte) value;
    return this;
  }

  public Writer u32(int value) {
    assert value >= 0 : value;
    return i32(value);
  }

  public Writer i32(int value) {
    ensure(4);
    buffer[position++] = (byte) (value >>> 24);
    buffer[position++] = (byte) (value >>> 16);
    buffer[position++] = (byte) (value >>> 8);
    buffer[position++] = (byte) value;
    return this;
  }

  /** A non-negative long (views, sequence and request numbers never go below zero). */
  public Writer u64(long value) {
    assert value >= 0 : value;
    return i64(value);
  }

  public Writer i64(long value) {
    ensure(8);
    writeLong(buffer, position, value);
    position += 8;
    return this;
  }

  public Writer raw(byte[] bytes, int offset, int length) {
    ensure(length);
    System.arraycopy(bytes, offset, buffer, position, length);
    position += length;
    return this;
  }

  /** Length-prefixed (u32) bytes. */
  public Writer bytes(Bytes value) {
    u32(value.length());
    ensure(value.length());
    value.copyTo(buffer, position);
    position += value.length();
    return this;
  }

  public Writer digest(Digest digest) {
    return i64(digest.w0()).i64(digest.w1()).i64(digest.w2()).i64(digest.w3());
  }

  static void writeLong(byte[] out, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      out[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  static long readLong(byte[] in, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[offset + i] & 0xffL);
    }
    return value;
  }
}
