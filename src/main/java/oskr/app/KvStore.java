package oskr.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import oskr.app.KvResult.BadOp;
import oskr.app.KvResult.DeleteResult;
import oskr.app.KvResult.GetResult;
import oskr.app.KvResult.Pair;
import oskr.app.KvResult.PutResult;
import oskr.app.KvResult.ScanResult;
import oskr.app.KvResult.StoreFull;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;

/**
 * An in-memory ordered KV store: the replicated app. Operations and results are the canonical
 * encodings of {@link KvOp} and {@link KvResult}; a malformed op (input from the network) yields
 * {@link BadOp} and never an exception. Deterministic: same state and op give the same result bytes
 * and the same next state.
 *
 * <p>The state is bounded: the sum over entries of {@code 8 + key length + value length} (the
 * snapshot size of the entries) stays at most {@link #stateBytesMax()}; a Put past it yields {@link
 * StoreFull} and changes nothing.
 *
 * <p>Checkpoints and state transfer: {@link #snapshot()} is the canonical encoding of the whole
 * state (equal states give equal bytes, whatever the history), {@link #digest()} is its SHA-256,
 * and {@link #restore} rebuilds a store from it. State transfer can send a snapshot in slices and
 * verify the reassembled bytes with {@link #digestOf} before restoring.
 *
 * <p>Not thread-safe: called only from the protocol thread, as {@link App} says.
 */
public final class KvStore implements App {
  /** The default and largest capacity: snapshots must fit one array. */
  public static final long STATE_BYTES_MAX = 1L << 30;

  private static final int SNAPSHOT_VERSION = 1;
  private static final int SNAPSHOT_HEADER_BYTES = 1 + 4;
  private static final Bytes BAD_OP = new BadOp().encode();

  private final TreeMap<Bytes, Bytes> entries = new TreeMap<>();
  private final long stateBytesMax;
  private long stateBytes;
  private Sha256 sha256;

  /** Tentative executions' changes, for {@link #rollback}. */
  private final UndoLog undo = new UndoLog();

  /** The operation being executed tentatively, or 0 when it is final (no undo recorded). */
  private long tentativeOp;

  public KvStore() {
    this(STATE_BYTES_MAX);
  }

  /** A store holding at most {@code stateBytesMax} bytes of entries (see the class comment). */
  public KvStore(long stateBytesMax) {
    if (stateBytesMax <= 0 || stateBytesMax > STATE_BYTES_MAX) {
      throw new IllegalArgumentException("stateBytesMax out of range: " + stateBytesMax);
    }
    this.stateBytesMax = stateBytesMax;
  }

  @Override
  public Bytes execute(long opNumber, Bytes op) {
    undo.begin(opNumber, false);
    return executeOp(op);
  }

  @Override
  public boolean supportsRollback() {
    return true;
  }

  @Override
  public Bytes executeSpeculatively(long opNumber, Bytes op) {
    if (opNumber <= 0) throw new IllegalArgumentException("op number " + opNumber);
    undo.begin(opNumber, true);
    tentativeOp = opNumber;
    Bytes result = executeOp(op);
    tentativeOp = 0;
    return result;
  }

  @Override
  public void commit(long opNumber) {
    undo.commit(opNumber);
  }

  @Override
  public void rollback(long opNumber) {
    for (UndoLog.Change change = undo.undoAbove(opNumber);
        change != null;
        change = undo.undoAbove(opNumber)) {
      Bytes current = entries.get(change.key());
      if (current != null) stateBytes -= entryBytes(change.key(), current);
      if (change.previous() == null) {
        entries.remove(change.key());
      } else {
        entries.put(change.key(), change.previous());
        stateBytes += entryBytes(change.key(), change.previous());
      }
    }
  }

  /** Tentative changes not yet committed, for tests. */
  int tentativeChanges() {
    return undo.pending();
  }

  private Bytes executeOp(Bytes op) {
    KvOp decoded;
    try {
      decoded = KvOp.decode(op);
    } catch (MalformedMessage e) {
      return BAD_OP;
    }
    return apply(decoded).encode();
  }

  /** Executes a decoded op: for in-process callers (workload loaders, tests). */
  public KvResult apply(KvOp op) {
    return switch (op) {
      case KvOp.Get get -> get(get.key());
      case KvOp.Put put -> put(put.key(), put.value());
      case KvOp.Delete delete -> new DeleteResult(remove(delete.key()));
      case KvOp.Scan scan -> scan(scan);
    };
  }

  private GetResult get(Bytes key) {
    Bytes value = entries.get(key);
    return value == null ? GetResult.absent() : GetResult.of(value);
  }

  private KvResult put(Bytes key, Bytes value) {
    Bytes previous = entries.get(key);
    long after = stateBytes + entryBytes(key, value);
    if (previous != null) after -= entryBytes(key, previous);
    if (after > stateBytesMax) return new StoreFull();
    if (tentativeOp != 0) undo.remember(tentativeOp, key, previous);
    entries.put(key, value);
    stateBytes = after;
    return previous == null ? PutResult.inserted() : PutResult.replacing(previous);
  }

  private boolean remove(Bytes key) {
    Bytes previous = entries.remove(key);
    if (previous == null) return false;
    if (tentativeOp != 0) undo.remember(tentativeOp, key, previous);
    stateBytes -= entryBytes(key, previous);
    assert stateBytes >= 0 : stateBytes;
    return true;
  }

  private ScanResult scan(KvOp.Scan scan) {
    List<Pair> pairs = new ArrayList<>();
    long resultBytes = KvResult.SCAN_HEADER_BYTES;
    for (Map.Entry<Bytes, Bytes> entry : range(scan).entrySet()) {
      if (pairs.size() == scan.limit()) break;
      resultBytes += KvResult.scanPairBytes(entry.getKey(), entry.getValue());
      if (resultBytes > KvResult.RESULT_MAX) return new ScanResult(pairs, true);
      pairs.add(new Pair(entry.getKey(), entry.getValue()));
    }
    return new ScanResult(pairs, false);
  }

  private NavigableMap<Bytes, Bytes> range(KvOp.Scan scan) {
    if (scan.unbounded()) return entries.tailMap(scan.fromKey(), true);
    if (scan.fromKey().compareTo(scan.toKey()) >= 0) return Collections.emptyNavigableMap();
    return entries.subMap(scan.fromKey(), true, scan.toKey(), false);
  }

  private static long entryBytes(Bytes key, Bytes value) {
    return 4 + key.length() + 4 + value.length();
  }

  /** The number of keys present. */
  public int size() {
    return entries.size();
  }

  /** The bytes the entries take in a snapshot, bounded by {@link #stateBytesMax()}. */
  public long stateBytes() {
    return stateBytes;
  }

  public long stateBytesMax() {
    return stateBytesMax;
  }

  /**
   * The canonical encoding of the whole state: {@code u8:version u32:count (key value)*count} with
   * keys strictly increasing. Equal states give equal bytes. O(state) time and memory.
   */
  @Override
  public Bytes snapshot() {
    long length = SNAPSHOT_HEADER_BYTES + stateBytes;
    assert length <= Integer.MAX_VALUE : length;
    Writer out = new Writer((int) length);
    out.u8(SNAPSHOT_VERSION).u32(entries.size());
    for (Map.Entry<Bytes, Bytes> entry : entries.entrySet()) {
      out.bytes(entry.getKey()).bytes(entry.getValue());
    }
    assert out.position() == length : out.position();
    // The writer was sized exactly, so its buffer is the snapshot: no second gigabyte-size copy.
    byte[] buffer = out.buffer();
    return buffer.length == length ? Bytes.adopt(buffer) : out.toBytes();
  }

  /** SHA-256 of {@link #snapshot()}: the state digest of a checkpoint. */
  public Digest digest() {
    if (sha256 == null) sha256 = new Sha256();
    return digestOf(snapshot(), sha256);
  }

  /** The digest of a snapshot, for a stateless job or for checking a transferred snapshot. */
  public static Digest digestOf(Bytes snapshot, Sha256 sha256) {
    return sha256.digest(snapshot.unsafeArray(), 0, snapshot.length());
  }

  /**
   * Replaces this store's entries with those of a snapshot (state transfer), keeping its capacity.
   *
   * @throws IllegalArgumentException if the bytes are not a valid snapshot within the capacity
   */
  @Override
  public void restoreFrom(Bytes snapshot) {
    KvStore restored;
    try {
      restored = restore(snapshot, stateBytesMax);
    } catch (MalformedMessage e) {
      throw new IllegalArgumentException("not a KV store snapshot: " + e.reason());
    }
    entries.clear();
    entries.putAll(restored.entries);
    stateBytes = restored.stateBytes;
    undo.reset(0);
  }

  /** Rebuilds a store with the default capacity; see {@link #restore(Bytes, long)}. */
  public static KvStore restore(Bytes snapshot) throws MalformedMessage {
    return restore(snapshot, STATE_BYTES_MAX);
  }

  /**
   * Rebuilds a store from a {@link #snapshot()}. The snapshot may come from a peer, so it is
   * checked like a message: version, lengths, strictly increasing keys, capacity, no trailing
   * bytes; anything wrong is {@link MalformedMessage}.
   */
  public static KvStore restore(Bytes snapshot, long stateBytesMax) throws MalformedMessage {
    KvStore store = new KvStore(stateBytesMax);
    Reader in = new Reader(snapshot.unsafeArray());
    if (in.u8() != SNAPSHOT_VERSION) throw MalformedMessage.of("KvSnapshot.version");
    int count = in.count(in.remaining() / 8); // each entry takes at least 8 bytes
    Bytes previousKey = null;
    for (int i = 0; i < count; i++) {
      Bytes key = in.bytes(KvOp.KEY_MAX);
      Bytes value = in.bytes(KvOp.VALUE_MAX);
      if (previousKey != null && previousKey.compareTo(key) >= 0) {
        throw MalformedMessage.of("KvSnapshot.order");
      }
      store.stateBytes += entryBytes(key, value);
      if (store.stateBytes > stateBytesMax) throw MalformedMessage.of("KvSnapshot.capacity");
      store.entries.put(key, value);
      previousKey = key;
    }
    in.end();
    return store;
  }
}
