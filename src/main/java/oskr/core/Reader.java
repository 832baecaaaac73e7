package oskr.core;

/**
 * Reads a big-endian frame written by {@link Writer}. Every read checks bounds and throws only
 * {@link MalformedMessage}; a decoder calls {@link #end()} so leftover bytes are malformed too.
 */
public final class Reader {
  private final byte[] data;
  private final int limit;
  private int position;

  public Reader(byte[] data) {
    this(data, 0, data.length);
  }

  public Reader(byte[] data, int offset, int length) {
    // Not offset + length > data.length: that sum overflows for a huge length and passes.
    if (offset < 0 || length < 0 || length > data.length - offset) {
      throw new IllegalArgumentException("slice out of range");
    }
    this.data = data;
    this.position = offset;
    this.limit = offset + length;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return limit - position;
  }

  /** The underlying array, for verifying a signature over a slice without a copy. */
  public byte[] array() {
    return data;
  }

  private void need(int count) throws MalformedMessage {
    if (count < 0 || limit - position < count) throw MalformedMessage.of("truncated");
  }

  public int u8() throws MalformedMessage {
    need(1);
    return data[position++] & 0xff;
  }

  public boolean bool() throws MalformedMessage {
    int value = u8();
    if (value > 1) throw MalformedMessage.of("bad boolean");
    return value == 1;
  }

  public int u16() throws MalformedMessage {
    need(2);
    int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
    position += 2;
    return value;
  }

  public int i32() throws MalformedMessage {
    need(4);
    int value =
        ((data[position] & 0xff) << 24)
            | ((data[position + 1] & 0xff) << 16)
            | ((data[position + 2] & 0xff) << 8)
            | (data[position + 3] & 0xff);
    position += 4;
    return value;
  }

  /** A u32 that must fit a non-negative int. */
  public int u32() throws MalformedMessage {
    int value = i32();
    if (value < 0) throw MalformedMessage.of("u32 out of range");
    return value;
  }

  public long i64() throws MalformedMessage {
    need(8);
    long value = Writer.readLong(data, position);
    position += 8;
    return value;
  }

  /** A long that must not be negative (views, sequence and request numbers). */
  public long u64() throws MalformedMessage {
    long value = i64();
    if (value < 0) throw MalformedMessage.of("u64 out of range");
    return value;
  }

  /** Length-prefixed bytes of at most {@code maxLength}. */
  public Bytes bytes(int maxLength) throws MalformedMessage {
    int length = u32();
    if (length > maxLength) throw MalformedMessage.of("field too long");
    need(length);
    Bytes value = Bytes.copyOf(data, position, length);
    position += length;
    return value;
  }

  public Digest digest() throws MalformedMessage {
    need(Digest.LENGTH);
    Digest value = Digest.of(data, position);
    position += Digest.LENGTH;
    return value;
  }

  /** A replica index below {@code n}. */
  public int replicaIndex(int n) throws MalformedMessage {
    int value = u8();
    if (value >= n) throw MalformedMessage.of("replica index out of range");
    return value;
  }

  /** A count of at most {@code max} items, checked before anything is allocated for them. */
  public int count(int max) throws MalformedMessage {
    int value = u32();
    if (value > max) throw MalformedMessage.of("count too large");
    return value;
  }

  public void end() throws MalformedMessage {
    if (position != limit) throw MalformedMessage.of("trailing bytes");
  }
}
