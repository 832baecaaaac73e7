package oskr.app;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * A frozen {@link KvStore} state, read as its canonical encoding {@code u8:version u32:count (key
 * value)*count} (keys strictly increasing, each length-prefixed) in byte ranges.
 *
 * <p>Freezing copies the sorted map (linear: the copy is built in order) and shares the keys and
 * values, which are immutable: no byte of the state is copied, and the store executes on while the
 * snapshot is digested and served. A sparse index of entry offsets makes {@link #read} start near
 * its offset instead of at the first entry.
 */
final class KvSnapshot implements App.Snapshot {
  static final int VERSION = 1;
  static final int HEADER_BYTES = 1 + 4;

  /** One index entry per this many bytes of encoding, at most: a read skips less than this. */
  static final int INDEX_STRIDE = 64 * 1024;

  private final TreeMap<Bytes, Bytes> entries;
  private final long size;

  /** The offset of every indexed entry's encoding, to its key. */
  private final TreeMap<Long, Bytes> index = new TreeMap<>();

  KvSnapshot(TreeMap<Bytes, Bytes> live, long stateBytes) {
    this.entries = new TreeMap<>(live);
    this.size = HEADER_BYTES + stateBytes;
    long offset = HEADER_BYTES;
    long nextIndexed = 0;
    for (Map.Entry<Bytes, Bytes> entry : entries.entrySet()) {
      if (offset >= nextIndexed) {
        index.put(offset, entry.getKey());
        nextIndexed = offset + INDEX_STRIDE;
      }
      offset += entryBytes(entry.getKey(), entry.getValue());
    }
    assert offset == size : "entry sizes do not add up to the state bytes";
  }

  static long entryBytes(Bytes key, Bytes value) {
    return 4 + key.length() + 4 + value.length();
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Bytes read(long offset, int length) {
    Objects.checkFromIndexSize(offset, length, size);
    byte[] out = new byte[length];
    long end = offset + length;
    if (offset < HEADER_BYTES) {
      byte[] header = new Writer(HEADER_BYTES).u8(VERSION).u32(entries.size()).toArray();
      copyOverlap(header, header.length, 0, offset, out);
    }
    Map.Entry<Long, Bytes> start = index.floorEntry(offset);
    if (start == null) start = index.firstEntry();
    if (start == null) return Bytes.adopt(out); // no entries: only the header
    long position = start.getKey();
    Writer encoding = new Writer(256);
    for (Map.Entry<Bytes, Bytes> entry : entries.tailMap(start.getValue(), true).entrySet()) {
      if (position >= end) break;
      long bytes = entryBytes(entry.getKey(), entry.getValue());
      if (position + bytes > offset) {
        encoding.reset().bytes(entry.getKey()).bytes(entry.getValue());
        copyOverlap(encoding.buffer(), encoding.position(), position, offset, out);
      }
      position += bytes;
    }
    return Bytes.adopt(out);
  }

  /**
   * Copies the part of {@code source} (the encoding from stream offset {@code sourceOffset}, {@code
   * sourceLength} bytes) that falls into {@code out} (the encoding from stream offset {@code
   * offset}).
   */
  private static void copyOverlap(
      byte[] source, int sourceLength, long sourceOffset, long offset, byte[] out) {
    long from = Math.max(sourceOffset, offset);
    long to = Math.min(sourceOffset + sourceLength, offset + out.length);
    if (from >= to) return;
    int length = (int) (to - from);
    System.arraycopy(source, (int) (from - sourceOffset), out, (int) (from - offset), length);
  }
}
