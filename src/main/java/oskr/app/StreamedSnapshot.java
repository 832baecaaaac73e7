package oskr.app;

import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * A durable store's frozen state, read in byte ranges as the same canonical encoding as {@link
 * KvSnapshot} ({@code u8:version u32:count (key value)*count}), so that an in-memory and a durable
 * replica of one state give equal bytes and digests. The entries stay in the engine (a SQLite read
 * transaction, a RocksDB snapshot): nothing but the current position and a sparse index is held.
 *
 * <p>Reads in order (digests, state transfer) continue from where the last one stopped; a read
 * elsewhere starts from the nearest indexed entry at or before its offset (one per {@link
 * KvSnapshot#INDEX_STRIDE} bytes read so far), else from the first entry. Thread-safe: reads are
 * serialised. {@link App.Snapshot} has no close: the engine's resources are released when the
 * snapshot becomes unreachable (a {@link Cleaner}), or when the store closes.
 */
public final class StreamedSnapshot implements App.Snapshot {
  /** The engine's frozen entries: cursors over them, and the resources to release. */
  public interface Source {
    /** A cursor over the entries with key at least {@code from}, in key order. */
    Cursor from(Bytes from);

    /** Releases the frozen state; no cursor is used after it. Idempotent. */
    void release();
  }

  /** Entries in key order: {@link #next()} moves to the next one, if any. */
  public interface Cursor {
    boolean next();

    Bytes key();

    Bytes value();

    void close();
  }

  private final long count;
  private final long size;
  private final Reading reading;

  /**
   * @param count the entries in the frozen state (read with it, atomically)
   * @param stateBytes the sum of their {@code 8 + key length + value length}
   * @param cleaner releases {@code source} once the snapshot is unreachable
   */
  public StreamedSnapshot(long count, long stateBytes, Source source, Cleaner cleaner) {
    if (count < 0 || count > 0xFFFF_FFFFL) throw new IllegalArgumentException("count " + count);
    this.count = count;
    this.size = KvSnapshot.HEADER_BYTES + stateBytes;
    this.reading = new Reading(source);
    cleaner.register(this, reading);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Bytes read(long offset, int length) {
    Objects.checkFromIndexSize(offset, length, size);
    byte[] out = new byte[length];
    if (offset < KvSnapshot.HEADER_BYTES) {
      byte[] header =
          new Writer(KvSnapshot.HEADER_BYTES).u8(KvSnapshot.VERSION).u32((int) count).toArray();
      copyOverlap(header, header.length, 0, offset, out);
    }
    if (offset + length > KvSnapshot.HEADER_BYTES) reading.fill(offset, out);
    return Bytes.adopt(out);
  }

  /**
   * The cursor and where it stands; also the cleaning action, so it must not reach the snapshot.
   */
  private static final class Reading implements Runnable {
    private final Source source;
    private final TreeMap<Long, Bytes> index = new TreeMap<>();
    private final Writer encoding = new Writer(256);
    private Cursor cursor;

    /** The offset of the cursor's current entry; its key and value, or null at the end. */
    private long position;

    private Bytes key;
    private Bytes value;
    private long nextIndexed;
    private boolean released;

    Reading(Source source) {
      this.source = source;
    }

    synchronized void fill(long offset, byte[] out) {
      if (released) throw new IllegalStateException("the snapshot's store was closed");
      long start = Math.max(offset, KvSnapshot.HEADER_BYTES);
      Long indexed = index.floorKey(start);
      boolean behind = indexed != null && indexed > position;
      if (cursor == null || key == null || position > start || behind) seek(start);
      long end = offset + out.length;
      while (position < end) {
        if (key == null) throw new IllegalStateException("the snapshot ended before its size");
        long bytes = KvSnapshot.entryBytes(key, value);
        if (position + bytes > offset) {
          encoding.reset().bytes(key).bytes(value);
          copyOverlap(encoding.buffer(), encoding.position(), position, offset, out);
        }
        if (position + bytes > end) return; // the next read continues inside this entry
        advance(bytes);
      }
    }

    /** Positions the cursor on the entry covering {@code offset}, or the indexed one before it. */
    private void seek(long offset) {
      if (cursor != null) cursor.close();
      Map.Entry<Long, Bytes> floor = index.floorEntry(offset);
      if (floor == null) {
        cursor = source.from(Bytes.EMPTY);
        position = KvSnapshot.HEADER_BYTES;
      } else {
        cursor = source.from(floor.getValue());
        position = floor.getKey();
      }
      load();
    }

    private void advance(long bytes) {
      position += bytes;
      load();
    }

    private void load() {
      if (cursor.next()) {
        key = cursor.key();
        value = cursor.value();
        if (position >= nextIndexed) {
          index.put(position, key);
          nextIndexed = position + KvSnapshot.INDEX_STRIDE;
        }
      } else {
        key = null;
        value = null;
      }
    }

    /** Releases the engine's state: the snapshot is unreachable, or its store closed. */
    @Override
    public synchronized void run() {
      if (released) return;
      released = true;
      if (cursor != null) cursor.close();
      source.release();
    }
  }

  private static void copyOverlap(
      byte[] source, int sourceLength, long sourceOffset, long offset, byte[] out) {
    long from = Math.max(sourceOffset, offset);
    long to = Math.min(sourceOffset + sourceLength, offset + out.length);
    if (from >= to) return;
    int length = (int) (to - from);
    System.arraycopy(source, (int) (from - sourceOffset), out, (int) (from - offset), length);
  }
}
