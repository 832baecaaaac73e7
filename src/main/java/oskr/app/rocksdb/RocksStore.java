package oskr.app.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;
import oskr.app.DurableStore;
import oskr.app.StoreOpenException;
import oskr.app.StreamedSnapshot;
import oskr.app.Table;
import oskr.core.Bytes;

/**
 * The replicated store on RocksDB (rocksdbjni): a directory, the default column family, the default
 * bytewise comparator (unsigned lexicographic, the order of the other stores).
 *
 * <p>Keys: {@code 0x00 name} for the metadata (format, generation, record count, state bytes, last
 * op that wrote); {@code 0x01 u32:generation key} for the data. An op's writes collect in a {@link
 * WriteBatchWithIndex} (read back within the op) and go to the engine in one atomic write with the
 * metadata; the WAL is on and not synced per write, so a commit survives the process crashing, not
 * the machine losing power (as the SQLite store). An install writes the snapshot's entries under
 * the next generation, then one write switches the generation in the metadata; the old generation's
 * keys are then removed with one range delete (also at open, after a crash). Snapshots are RocksDB
 * snapshots: consistent reads while the protocol executes on.
 */
public final class RocksStore extends DurableStore {
  private static final byte META = 0;
  private static final byte DATA = 1;
  private static final String FORMAT = "oskr-kv-rocksdb 1";

  /** An install's batch is written once it holds this many bytes. */
  private static final int STAGING_BATCH_BYTES = 4 << 20;

  /** Generations count installs; they stay positive so their prefixes sort as numbers. */
  private static final int GENERATION_MAX = Integer.MAX_VALUE - 1;

  private final Path directory;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();
  private final ReadOptions readOptions = new ReadOptions();
  private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
  private final List<Frozen> frozen = new ArrayList<>();
  private int generation;

  private RocksStore(Path directory, long stateBytesMax, Options options, RocksDB db)
      throws RocksDBException {
    super(stateBytesMax);
    this.directory = directory;
    this.options = options;
    this.db = db;
    byte[] format = db.get(meta("format"));
    if (format == null) {
      try (RocksIterator any = db.newIterator()) {
        any.seekToFirst();
        if (any.isValid()) throw new RocksDBException("not an oskr KV store");
      }
      db.put(meta("format"), FORMAT.getBytes(StandardCharsets.UTF_8));
    } else if (!FORMAT.equals(new String(format, StandardCharsets.UTF_8))) {
      throw new RocksDBException("not an oskr KV store");
    }
    generation = (int) metaLong("generation");
    // Keys of other generations: an install that a crash interrupted, or one not yet cleaned.
    if (generation > 0) db.deleteRange(dataPrefix(0), dataPrefix(generation));
    db.deleteRange(dataPrefix(generation + 1), new byte[] {(byte) (DATA + 1)});
    recovered(metaLong("count"), metaLong("state_bytes"), metaLong("applied"));
  }

  /**
   * Opens (or creates) the store in directory {@code directory}.
   *
   * @throws StoreOpenException in one line if it cannot be opened (missing parent, locked by
   *     another process, not such a store, no permission)
   */
  public static RocksStore open(Path directory, long stateBytesMax) throws StoreOpenException {
    Path parent = directory.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new StoreOpenException(directory + ": no such directory " + parent);
    }
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StoreOpenException(directory + ": not a directory");
    }
    RocksDB.loadLibrary();
    Options options = new Options().setCreateIfMissing(true);
    RocksDB db = null;
    try {
      db = RocksDB.open(options, directory.toString());
      return new RocksStore(directory, stateBytesMax, options, db);
    } catch (RocksDBException e) {
      if (db != null) db.close();
      options.close();
      throw new StoreOpenException(directory + ": cannot open as a RocksDB store: " + oneLine(e));
    }
  }

  private static String oneLine(RocksDBException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private static IllegalStateException failed(RocksDBException e) {
    return new IllegalStateException("the RocksDB store failed: " + oneLine(e), e);
  }

  private static byte[] meta(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[1 + bytes.length];
    key[0] = META;
    System.arraycopy(bytes, 0, key, 1, bytes.length);
    return key;
  }

  private long metaLong(String name) throws RocksDBException {
    byte[] value = db.get(meta(name));
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** {@code 0x01 u32:generation}: the first key of a generation; unsigned order of generations. */
  private static byte[] dataPrefix(int generation) {
    return ByteBuffer.allocate(5).put(DATA).putInt(generation).array();
  }

  private static byte[] dataKey(int generation, Bytes key) {
    byte[] out = new byte[5 + key.length()];
    ByteBuffer.wrap(out).put(DATA).putInt(generation);
    key.copyTo(out, 5);
    return out;
  }

  @Override
  protected Optional<Bytes> load(Bytes key) {
    try {
      byte[] value = batch.getFromBatchAndDB(db, readOptions, dataKey(generation, key));
      return value == null ? Optional.empty() : Optional.of(Bytes.adopt(value));
    } catch (RocksDBException e) {
      throw failed(e);
    }
  }

  @Override
  protected void store(Bytes key, Bytes value) {
    try {
      batch.put(dataKey(generation, key), value.unsafeArray());
    } catch (RocksDBException e) {
      throw failed(e);
    }
  }

  @Override
  protected void erase(Bytes key) {
    try {
      batch.delete(dataKey(generation, key));
    } catch (RocksDBException e) {
      throw failed(e);
    }
  }

  @Override
  protected void scan(Bytes from, Bytes to, Table.Visitor visitor) {
    try (RocksIterator iterator = db.newIterator(readOptions)) {
      visit(iterator, generation, from, to, visitor);
    }
  }

  private static void visit(
      RocksIterator iterator, int generation, Bytes from, Bytes to, Table.Visitor visitor) {
    byte[] prefix = dataPrefix(generation);
    for (iterator.seek(dataKey(generation, from)); iterator.isValid(); iterator.next()) {
      byte[] key = iterator.key();
      if (!startsWith(key, prefix)) return;
      Bytes userKey = Bytes.adopt(Arrays.copyOfRange(key, prefix.length, key.length));
      if (to.length() > 0 && userKey.compareTo(to) >= 0) return;
      if (!visitor.visit(userKey, Bytes.adopt(iterator.value()))) return;
    }
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  protected void commitOp(long applied, long count, long stateBytes) {
    try {
      batch.put(meta("applied"), longBytes(applied));
      batch.put(meta("count"), longBytes(count));
      batch.put(meta("state_bytes"), longBytes(stateBytes));
      db.write(writeOptions, batch);
      batch.clear();
    } catch (RocksDBException e) {
      throw failed(e);
    }
  }

  @Override
  protected StreamedSnapshot.Source freeze() {
    Frozen source = new Frozen(generation);
    synchronized (frozen) {
      frozen.add(source);
    }
    return source;
  }

  /** A RocksDB snapshot and the generation it reads. */
  private final class Frozen implements StreamedSnapshot.Source {
    private final int generation;
    private final org.rocksdb.Snapshot snapshot = db.getSnapshot();
    private final ReadOptions options = new ReadOptions().setSnapshot(snapshot);
    private boolean released;

    Frozen(int generation) {
      this.generation = generation;
    }

    @Override
    public StreamedSnapshot.Cursor from(Bytes from) {
      return new IteratorCursor(db.newIterator(options), generation, from);
    }

    @Override
    public void release() {
      synchronized (frozen) {
        if (released) return;
        released = true;
        frozen.remove(this);
      }
      options.close();
      db.releaseSnapshot(snapshot);
    }
  }

  /** A cursor over one generation's keys from a start key. */
  private static final class IteratorCursor implements StreamedSnapshot.Cursor {
    private final RocksIterator iterator;
    private final byte[] prefix;
    private boolean started;
    private Bytes key;
    private Bytes value;

    IteratorCursor(RocksIterator iterator, int generation, Bytes from) {
      this.iterator = iterator;
      this.prefix = dataPrefix(generation);
      iterator.seek(dataKey(generation, from));
    }

    @Override
    public boolean next() {
      if (started) iterator.next();
      started = true;
      if (!iterator.isValid() || !startsWith(iterator.key(), prefix)) return false;
      byte[] raw = iterator.key();
      key = Bytes.adopt(Arrays.copyOfRange(raw, prefix.length, raw.length));
      value = Bytes.adopt(iterator.value());
      return true;
    }

    @Override
    public Bytes key() {
      return key;
    }

    @Override
    public Bytes value() {
      return value;
    }

    @Override
    public void close() {
      iterator.close();
    }
  }

  @Override
  protected Staging stage() {
    if (generation >= GENERATION_MAX) throw new IllegalStateException("installs exhausted");
    int next = generation + 1;
    try {
      db.deleteRange(dataPrefix(next), dataPrefix(next + 1));
    } catch (RocksDBException e) {
      throw failed(e);
    }
    return new GenerationStaging(next);
  }

  /** Writes the snapshot's entries under the next generation; the commit switches to it. */
  private final class GenerationStaging implements Staging {
    private final int next;
    private final WriteBatch staged = new WriteBatch();

    GenerationStaging(int next) {
      this.next = next;
    }

    @Override
    public void put(Bytes key, Bytes value) {
      try {
        staged.put(dataKey(next, key), value.unsafeArray());
        if (staged.getDataSize() >= STAGING_BATCH_BYTES) flush();
      } catch (RocksDBException e) {
        throw failed(e);
      }
    }

    private void flush() throws RocksDBException {
      db.write(writeOptions, staged);
      staged.clear();
    }

    @Override
    public void commit(long count, long stateBytes) {
      try {
        flush();
        staged.put(meta("generation"), longBytes(next));
        staged.put(meta("applied"), longBytes(0));
        staged.put(meta("count"), longBytes(count));
        staged.put(meta("state_bytes"), longBytes(stateBytes));
        flush();
        staged.close();
        int old = generation;
        generation = next;
        db.deleteRange(dataPrefix(old), dataPrefix(old + 1));
      } catch (RocksDBException e) {
        throw failed(e);
      }
    }

    @Override
    public void abort() {
      try {
        staged.close();
        db.deleteRange(dataPrefix(next), dataPrefix(next + 1));
      } catch (RocksDBException e) {
        throw failed(e);
      }
    }
  }

  /** Closes the store and every snapshot still open on it. */
  @Override
  public void close() {
    List<Frozen> open;
    synchronized (frozen) {
      open = new ArrayList<>(frozen);
    }
    for (Frozen source : open) source.release();
    batch.close();
    readOptions.close();
    writeOptions.close();
    db.close();
    options.close();
  }

  @Override
  public String toString() {
    return "RocksDB store " + directory;
  }
}
