package oskr.app;

import java.util.List;
import java.util.TreeSet;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The fields a read or scan asks for: some names, in increasing order, or all fields (YCSB passes
 * {@code null} for all). Encoding {@code u16:count name*count}; a count of 0 means all fields.
 */
public record FieldNames(List<Bytes> names) {
  public FieldNames {
    TreeSet<Bytes> sorted = new TreeSet<>(names);
    if (sorted.size() != names.size()) throw new IllegalArgumentException("repeated field name");
    if (names.size() > Fields.COUNT_MAX) throw new IllegalArgumentException("too many fields");
    for (Bytes name : sorted) {
      if (name.length() > Fields.NAME_MAX) throw new IllegalArgumentException("name too long");
    }
    names = List.copyOf(sorted);
  }

  public static final FieldNames ALL = new FieldNames(List.of());

  public static FieldNames of(Bytes... names) {
    return new FieldNames(List.of(names));
  }

  public boolean all() {
    return names.isEmpty();
  }

  void encode(Writer out) {
    out.u16(names.size());
    for (Bytes name : names) out.bytes(name);
  }

  static FieldNames decode(Reader in) throws MalformedMessage {
    int count = in.u16();
    if (count > Fields.COUNT_MAX) throw MalformedMessage.of("FieldNames.count");
    Bytes[] names = new Bytes[count];
    for (int i = 0; i < count; i++) {
      names[i] = in.bytes(Fields.NAME_MAX);
      if (i > 0 && names[i - 1].compareTo(names[i]) >= 0) {
        throw MalformedMessage.of("FieldNames.order");
      }
    }
    return new FieldNames(List.of(names));
  }
}
