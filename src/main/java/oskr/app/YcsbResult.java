package oskr.app;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The answer to a {@link YcsbOp}: YCSB's status and the records read, in key order.
 *
 * <pre>
 *   YcsbResult = 16 u8:status bool:truncated u32:count (key Fields)*count   (keys increasing)
 * </pre>
 *
 * A read or read-modify-write returns its record (one row) or {@link Status#NOT_FOUND}; a scan its
 * rows, {@code truncated} when the next row would have pushed the result past {@link
 * KvResult#RESULT_MAX}; an update and an insert no rows. {@link Status#STORE_FULL}: a write refused
 * because the store would exceed its capacity, nothing changed.
 */
public record YcsbResult(Status status, List<Row> rows, boolean truncated) {
  static final int TAG = 16;

  /** The bytes a result takes before its rows. */
  static final int HEADER_BYTES = 1 + 1 + 1 + 4;

  /** YCSB's {@code Status} values a store can return. */
  public enum Status {
    OK,
    NOT_FOUND,
    STORE_FULL
  }

  /** One record read. */
  public record Row(Bytes key, Fields fields) {}

  public YcsbResult {
    rows = List.copyOf(rows);
  }

  public static YcsbResult ok() {
    return new YcsbResult(Status.OK, List.of(), false);
  }

  public static YcsbResult of(Status status) {
    return new YcsbResult(status, List.of(), false);
  }

  public Bytes encode() {
    Writer out = new Writer(64);
    out.u8(TAG).u8(status.ordinal()).bool(truncated).u32(rows.size());
    for (Row row : rows) {
      out.bytes(row.key());
      row.fields().encode(out);
    }
    return out.toBytes();
  }

  /** Decodes a result (the client side); anything else is {@link MalformedMessage}. */
  public static YcsbResult decode(Bytes encoded) throws MalformedMessage {
    if (encoded.length() > KvResult.RESULT_MAX) throw MalformedMessage.of("YcsbResult.length");
    Reader in = new Reader(encoded.unsafeArray());
    if (in.u8() != TAG) throw MalformedMessage.of("YcsbResult.tag");
    int statusIndex = in.u8();
    if (statusIndex >= Status.values().length) throw MalformedMessage.of("YcsbResult.status");
    boolean truncated = in.bool();
    // Each row takes at least 6 bytes, so the count is bounded before anything is allocated.
    int count = in.count(Math.min(KvOp.SCAN_LIMIT_MAX, in.remaining() / 6));
    List<Row> rows = new ArrayList<>(count);
    Bytes previous = null;
    for (int i = 0; i < count; i++) {
      Bytes key = in.bytes(KvOp.KEY_MAX);
      if (previous != null && previous.compareTo(key) >= 0) {
        throw MalformedMessage.of("YcsbResult.order");
      }
      rows.add(new Row(key, Fields.decode(in)));
      previous = key;
    }
    in.end();
    return new YcsbResult(Status.values()[statusIndex], rows, truncated);
  }
}
