package oskr.app;

import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The five operations of YCSB's {@code DB} interface, as ops of the replicated stores. A record is
 * one entry of the store: its key, and its {@link Fields} encoded as the value. The tags follow
 * {@link KvOp}'s (below {@link #TAG_FIRST}) in the same op space, so one store executes both.
 *
 * <pre>
 *   Read            = 16 key FieldNames
 *   Update          = 17 key Fields                 (merged into the record; absent: not found)
 *   Insert          = 18 key Fields                 (the whole record, replacing any)
 *   Scan            = 19 startKey u32:count FieldNames   (1 &lt;= count &lt;= SCAN_LIMIT_MAX)
 *   ReadModifyWrite = 20 key FieldNames Fields      (a read and an update, atomically)
 * </pre>
 */
public sealed interface YcsbOp {
  int TAG_FIRST = 16;
  int TAG_LAST = 20;

  /** Reads a record's fields (or all of them). */
  record Read(Bytes key, FieldNames fields) implements YcsbOp {
    static final int TAG = 16;

    public Read {
      checkKey(key);
    }
  }

  /** Writes some fields of a record, keeping the others (YCSB's update). */
  record Update(Bytes key, Fields values) implements YcsbOp {
    static final int TAG = 17;

    public Update {
      checkKey(key);
    }
  }

  /** Writes a whole record. */
  record Insert(Bytes key, Fields values) implements YcsbOp {
    static final int TAG = 18;

    public Insert {
      checkKey(key);
    }
  }

  /** Reads up to {@code count} records from {@code startKey} on, in key order. */
  record Scan(Bytes startKey, int count, FieldNames fields) implements YcsbOp {
    static final int TAG = 19;

    public Scan {
      checkKey(startKey);
      if (count < 1 || count > KvOp.SCAN_LIMIT_MAX) throw new IllegalArgumentException("count");
    }
  }

  /** YCSB's read-modify-write: reads {@code fields} and writes {@code values}, as one op. */
  record ReadModifyWrite(Bytes key, FieldNames fields, Fields values) implements YcsbOp {
    static final int TAG = 20;

    public ReadModifyWrite {
      checkKey(key);
    }
  }

  default Bytes encode() {
    Writer out = new Writer(64);
    switch (this) {
      case Read read -> {
        out.u8(Read.TAG).bytes(read.key());
        read.fields().encode(out);
      }
      case Update update -> {
        out.u8(Update.TAG).bytes(update.key());
        update.values().encode(out);
      }
      case Insert insert -> {
        out.u8(Insert.TAG).bytes(insert.key());
        insert.values().encode(out);
      }
      case Scan scan -> {
        out.u8(Scan.TAG).bytes(scan.startKey()).u32(scan.count());
        scan.fields().encode(out);
      }
      case ReadModifyWrite rmw -> {
        out.u8(ReadModifyWrite.TAG).bytes(rmw.key());
        rmw.fields().encode(out);
        rmw.values().encode(out);
      }
    }
    return out.toBytes();
  }

  /** Whether {@code op} carries a YCSB tag (it may still be malformed). */
  static boolean isYcsb(Bytes op) {
    if (op.length() == 0) return false;
    int tag = op.get(0) & 0xff;
    return tag >= TAG_FIRST && tag <= TAG_LAST;
  }

  /** Decodes a canonical encoding; anything else is {@link MalformedMessage}. */
  static YcsbOp decode(Bytes encoded) throws MalformedMessage {
    Reader in = new Reader(encoded.unsafeArray());
    YcsbOp op =
        switch (in.u8()) {
          case Read.TAG -> new Read(in.bytes(KvOp.KEY_MAX), FieldNames.decode(in));
          case Update.TAG -> new Update(in.bytes(KvOp.KEY_MAX), Fields.decode(in));
          case Insert.TAG -> new Insert(in.bytes(KvOp.KEY_MAX), Fields.decode(in));
          case Scan.TAG -> decodeScan(in);
          case ReadModifyWrite.TAG ->
              new ReadModifyWrite(in.bytes(KvOp.KEY_MAX), FieldNames.decode(in), Fields.decode(in));
          default -> throw MalformedMessage.of("YcsbOp.tag");
        };
    in.end();
    return op;
  }

  private static Scan decodeScan(Reader in) throws MalformedMessage {
    Bytes startKey = in.bytes(KvOp.KEY_MAX);
    int count = in.u32();
    if (count < 1 || count > KvOp.SCAN_LIMIT_MAX) throw MalformedMessage.of("Scan.count");
    return new Scan(startKey, count, FieldNames.decode(in));
  }

  private static void checkKey(Bytes key) {
    if (key.length() > KvOp.KEY_MAX) throw new IllegalArgumentException("key too long");
  }
}
