package oskr.app;

import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;

/**
 * Parses a {@link KvSnapshot} encoding fed in pieces cut anywhere, handing each entry to a sink as
 * soon as it is whole (a new map for the in-memory store, a staging area on disk for the durable
 * ones): checked like a message (version, lengths, strictly increasing keys, capacity, count, no
 * trailing bytes), since the bytes come from a peer. Holds back at most one incomplete entry
 * between pieces, so a snapshot of any size passes through in bounded memory.
 */
public final class KvSnapshotParser {
  /** Takes the entries in key order. */
  @FunctionalInterface
  public interface EntrySink {
    void accept(Bytes key, Bytes value);
  }

  private final long stateBytesMax;
  private final EntrySink sink;

  /** What the package-private constructor collects into; empty with a sink of the caller's. */
  final TreeMap<Bytes, Bytes> entries = new TreeMap<>();

  long stateBytes;

  /** Bytes received but not parsed yet: an incomplete header or entry. */
  private byte[] pending = new byte[64];

  private int pendingLength;
  private boolean headerParsed;
  private long count;
  private long parsed;
  private Bytes previousKey;

  /** A parser collecting the entries into {@link #entries}. */
  KvSnapshotParser(long stateBytesMax) {
    this.stateBytesMax = stateBytesMax;
    this.sink = entries::put;
  }

  /** A parser handing the entries to {@code sink}, refusing more than {@code stateBytesMax}. */
  public KvSnapshotParser(long stateBytesMax, EntrySink sink) {
    this.stateBytesMax = stateBytesMax;
    this.sink = sink;
  }

  /** The entry bytes parsed so far (the state's size once {@link #finish()} passed). */
  public long stateBytes() {
    return stateBytes;
  }

  /** The entries parsed so far. */
  public long count() {
    return parsed;
  }

  /** The next piece of the snapshot. */
  public void accept(Bytes bytes) throws MalformedMessage {
    append(bytes);
    Reader in = new Reader(pending, 0, pendingLength);
    int consumed = 0;
    if (!headerParsed) {
      if (pendingLength < KvSnapshot.HEADER_BYTES) return;
      if (in.u8() != KvSnapshot.VERSION) throw MalformedMessage.of("KvSnapshot.version");
      count = Integer.toUnsignedLong(in.u32());
      headerParsed = true;
      consumed = in.position();
    }
    while (complete(consumed)) {
      parseEntry(in);
      consumed = in.position();
    }
    System.arraycopy(pending, consumed, pending, 0, pendingLength - consumed);
    pendingLength -= consumed;
  }

  /** Whether a whole entry starts at {@code from} in the pending bytes (its lengths checked). */
  private boolean complete(int from) throws MalformedMessage {
    long available = pendingLength - from;
    if (available < 4) return false;
    int keyLength = lengthAt(from, KvOp.KEY_MAX);
    if (available < 4L + keyLength + 4) return false;
    int valueLength = lengthAt(from + 4 + keyLength, KvOp.VALUE_MAX);
    return available >= 4L + keyLength + 4 + valueLength;
  }

  private int lengthAt(int at, int max) throws MalformedMessage {
    int length = new Reader(pending, at, 4).u32();
    if (length < 0 || length > max) throw MalformedMessage.of("field too long");
    return length;
  }

  private void parseEntry(Reader in) throws MalformedMessage {
    if (parsed == count) throw MalformedMessage.of("trailing bytes");
    Bytes key = in.bytes(KvOp.KEY_MAX);
    Bytes value = in.bytes(KvOp.VALUE_MAX);
    if (previousKey != null && previousKey.compareTo(key) >= 0) {
      throw MalformedMessage.of("KvSnapshot.order");
    }
    stateBytes += KvSnapshot.entryBytes(key, value);
    if (stateBytes > stateBytesMax) throw MalformedMessage.of("KvSnapshot.capacity");
    sink.accept(key, value);
    previousKey = key;
    parsed++;
  }

  private void append(Bytes bytes) throws MalformedMessage {
    long needed = (long) pendingLength + bytes.length();
    if (needed > Integer.MAX_VALUE - 8) throw MalformedMessage.of("KvSnapshot.piece");
    if (needed > pending.length) {
      pending = java.util.Arrays.copyOf(pending, (int) Math.max(needed, 2L * pending.length));
    }
    bytes.copyTo(pending, pendingLength);
    pendingLength += bytes.length();
  }

  /** All bytes were given: the snapshot must be whole, with nothing after it. */
  public void finish() throws MalformedMessage {
    if (!headerParsed || parsed < count) throw MalformedMessage.of("truncated");
    if (pendingLength > 0) throw MalformedMessage.of("trailing bytes");
  }
}
