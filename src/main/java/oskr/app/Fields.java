package oskr.app;

import java.util.Map;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * A YCSB record's fields, or some of them: field name to value, names in increasing byte order.
 * Canonical encoding {@code u16:count (name value)*count}, names strictly increasing and
 * length-prefixed (u32), so one set of fields has one encoding: it is the value a store keeps under
 * the record's key, and equal records give equal snapshots.
 */
public record Fields(TreeMap<Bytes, Bytes> values) {
  /** The most fields of a record. */
  public static final int COUNT_MAX = 1024;

  /** The longest field name. */
  public static final int NAME_MAX = 256;

  public Fields {
    if (values.size() > COUNT_MAX) throw new IllegalArgumentException("too many fields");
    for (Bytes name : values.keySet()) {
      if (name.length() > NAME_MAX) throw new IllegalArgumentException("field name too long");
    }
    values = new TreeMap<>(values);
  }

  public static Fields of(Map<Bytes, Bytes> values) {
    return new Fields(new TreeMap<>(values));
  }

  public static Fields empty() {
    return new Fields(new TreeMap<>());
  }

  /** A copy; the record's own map is never handed out for writing. */
  @Override
  public TreeMap<Bytes, Bytes> values() {
    return new TreeMap<>(values);
  }

  public int size() {
    return values.size();
  }

  /** These fields, with {@code update}'s written over them (YCSB's update semantics). */
  public Fields merge(Fields update) {
    TreeMap<Bytes, Bytes> merged = new TreeMap<>(values);
    merged.putAll(update.values);
    return new Fields(merged);
  }

  /** Only the fields named in {@code names}; all of them when {@code names} is empty. */
  public Fields project(FieldNames names) {
    if (names.all()) return this;
    TreeMap<Bytes, Bytes> kept = new TreeMap<>();
    for (Bytes name : names.names()) {
      Bytes value = values.get(name);
      if (value != null) kept.put(name, value);
    }
    return new Fields(kept);
  }

  /** The length of {@link #encode()}. */
  public int encodedBytes() {
    return 2 + encodedBytesOfValues();
  }

  public Bytes encode() {
    Writer out = new Writer(encodedBytes());
    encode(out);
    return out.toBytes();
  }

  void encode(Writer out) {
    out.u16(values.size());
    for (Map.Entry<Bytes, Bytes> field : values.entrySet()) {
      out.bytes(field.getKey()).bytes(field.getValue());
    }
  }

  private int encodedBytesOfValues() {
    int bytes = 0;
    for (Map.Entry<Bytes, Bytes> field : values.entrySet()) {
      bytes += 8 + field.getKey().length() + field.getValue().length();
    }
    return bytes;
  }

  /** Decodes a whole encoding, as a store reads back its value. */
  public static Fields decode(Bytes encoded) throws MalformedMessage {
    Reader in = new Reader(encoded.unsafeArray());
    Fields fields = decode(in);
    in.end();
    return fields;
  }

  static Fields decode(Reader in) throws MalformedMessage {
    int count = in.u16();
    if (count > COUNT_MAX) throw MalformedMessage.of("Fields.count");
    TreeMap<Bytes, Bytes> values = new TreeMap<>();
    Bytes previous = null;
    for (int i = 0; i < count; i++) {
      Bytes name = in.bytes(NAME_MAX);
      if (previous != null && previous.compareTo(name) >= 0) {
        throw MalformedMessage.of("Fields.order");
      }
      values.put(name, in.bytes(KvOp.VALUE_MAX));
      previous = name;
    }
    return new Fields(values);
  }
}
