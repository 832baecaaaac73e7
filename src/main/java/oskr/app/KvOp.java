package oskr.app;

import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * An operation of the ordered KV store ({@link KvStore}). Keys and values are byte strings; keys
 * order by unsigned lexicographic comparison ({@link Bytes#compareTo}).
 *
 * <p>Encoding (big-endian, canonical): a tag byte, then the fields; byte strings are u32
 * length-prefixed. {@link #decode} checks every length against the named limits below and rejects
 * unknown tags and trailing bytes, throwing only {@link MalformedMessage}.
 *
 * <pre>
 *   Get    = 1 key
 *   Put    = 2 key value
 *   Delete = 3 key
 *   Scan   = 4 fromKey toKey u32:limit      (1 &lt;= limit &lt;= SCAN_LIMIT_MAX)
 * </pre>
 */
public sealed interface KvOp {
  /** The longest key. */
  int KEY_MAX = 1024;

  /** The longest value: a Put stays well under {@link oskr.core.Limits#OP_MAX}. */
  int VALUE_MAX = 64 * 1024;

  /** The most pairs one Scan may ask for; the result is also cut by its byte budget. */
  int SCAN_LIMIT_MAX = 10_000;

  /** Reads the value of {@code key}. */
  record Get(Bytes key) implements KvOp {
    static final int TAG = 1;

    public Get {
      checkKey(key);
    }
  }

  /** Sets {@code key} to {@code value}; the result carries the previous value. */
  record Put(Bytes key, Bytes value) implements KvOp {
    static final int TAG = 2;

    public Put {
      checkKey(key);
      if (value.length() > VALUE_MAX) throw new IllegalArgumentException("value too long");
    }
  }

  /** Removes {@code key}; the result says whether it was present. */
  record Delete(Bytes key) implements KvOp {
    static final int TAG = 3;

    public Delete {
      checkKey(key);
    }
  }

  /**
   * Reads the pairs with {@code fromKey <= key < toKey} in key order, at most {@code limit} of
   * them. An empty {@code toKey} means no upper bound (as etcd's range end); {@code fromKey >=
   * toKey} otherwise is an empty range, not an error.
   */
  record Scan(Bytes fromKey, Bytes toKey, int limit) implements KvOp {
    static final int TAG = 4;

    public Scan {
      checkKey(fromKey);
      checkKey(toKey);
      if (limit < 1 || limit > SCAN_LIMIT_MAX) throw new IllegalArgumentException("bad limit");
    }

    /** A scan from {@code fromKey} to the end of the key space. */
    public static Scan toEnd(Bytes fromKey, int limit) {
      return new Scan(fromKey, Bytes.EMPTY, limit);
    }

    public boolean unbounded() {
      return toKey.length() == 0;
    }

    /** Whether {@code key} lies in this scan's range. */
    public boolean covers(Bytes key) {
      return key.compareTo(fromKey) >= 0 && (unbounded() || key.compareTo(toKey) < 0);
    }
  }

  /** The canonical encoding. */
  default Bytes encode() {
    Writer out = new Writer(64);
    switch (this) {
      case Get get -> out.u8(Get.TAG).bytes(get.key());
      case Put put -> out.u8(Put.TAG).bytes(put.key()).bytes(put.value());
      case Delete delete -> out.u8(Delete.TAG).bytes(delete.key());
      case Scan scan ->
          out.u8(Scan.TAG).bytes(scan.fromKey()).bytes(scan.toKey()).u32(scan.limit());
    }
    return out.toBytes();
  }

  /** Decodes a canonical encoding; anything else is {@link MalformedMessage}. */
  static KvOp decode(Bytes encoded) throws MalformedMessage {
    Reader in = new Reader(encoded.unsafeArray());
    KvOp op =
        switch (in.u8()) {
          case Get.TAG -> new Get(in.bytes(KEY_MAX));
          case Put.TAG -> new Put(in.bytes(KEY_MAX), in.bytes(VALUE_MAX));
          case Delete.TAG -> new Delete(in.bytes(KEY_MAX));
          case Scan.TAG -> decodeScan(in);
          default -> throw MalformedMessage.of("KvOp.tag");
        };
    in.end();
    return op;
  }

  private static Scan decodeScan(Reader in) throws MalformedMessage {
    Bytes fromKey = in.bytes(KEY_MAX);
    Bytes toKey = in.bytes(KEY_MAX);
    int limit = in.u32();
    if (limit < 1 || limit > SCAN_LIMIT_MAX) throw MalformedMessage.of("Scan.limit");
    return new Scan(fromKey, toKey, limit);
  }

  private static void checkKey(Bytes key) {
    if (key.length() > KEY_MAX) throw new IllegalArgumentException("key too long");
  }
}
