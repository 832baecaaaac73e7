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
 * <p>Checkpoints and state transfer: {@link #snapshot()} freezes the state as its canonical
 * encoding (equal states give equal bytes, whatever the history), read in byte ranges; {@link
 * #digest()} is its SHA-256; {@link #snapshotSink()} installs one fed in pieces, and {@link
 * #restore} rebuilds a store from one in a single array (tests, tools).
 *
 * <p>Not thread-safe: called only from the protocol thread, as {@link App} says.
 */
public final class KvStore implements App {
  /** The default and largest capacity. */
  public static final long STATE_BYTES_MAX = 1L << 30;

  /** How much of a snapshot {@link #digest()} reads at a time. */
  private static final int DIGEST_PIECE_BYTES = 64 * 1024;

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
    return KvSnapshot.entryBytes(key, value);
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
   * The state frozen as its canonical encoding {@code u8:version u32:count (key value)*count}, keys
   * strictly increasing: equal states give equal bytes. O(entries) time and references, no byte of
   * the state copied; see {@link KvSnapshot}.
   */
  @Override
  public Snapshot snapshot() {
    return new KvSnapshot(entries, stateBytes);
  }

  /** SHA-256 of the {@link #snapshot()} encoding, read piece by piece. */
  public Digest digest() {
    if (sha256 == null) sha256 = new Sha256();
    Snapshot snapshot = snapshot();
    for (long offset = 0; offset < snapshot.size(); offset += DIGEST_PIECE_BYTES) {
      Bytes piece =
          snapshot.read(offset, (int) Math.min(DIGEST_PIECE_BYTES, snapshot.size() - offset));
      sha256.update(piece.unsafeArray(), 0, piece.length());
    }
    return sha256.finish();
  }

  /**
   * Replaces this store's entries with those of a snapshot fed in pieces (state transfer), keeping
   * its capacity; the pieces are checked as they come (see {@link #restore(Bytes, long)}), the
   * entries replaced only on commit.
   */
  @Override
  public SnapshotSink snapshotSink() {
    return new SnapshotSink() {
      private KvSnapshotParser parser = new KvSnapshotParser(stateBytesMax);

      @Override
      public void accept(Bytes bytes) {
        try {
          parser.accept(bytes);
        } catch (MalformedMessage e) {
          throw new IllegalArgumentException("not a KV store snapshot: " + e.reason());
        }
      }

      @Override
      public void commit() {
        try {
          parser.finish();
        } catch (MalformedMessage e) {
          throw new IllegalArgumentException("not a KV store snapshot: " + e.reason());
        }
        entries.clear();
        entries.putAll(parser.entries);
        stateBytes = parser.stateBytes;
        undo.reset(0); // the state was replaced: nothing tentative is left to undo
        parser = new KvSnapshotParser(stateBytesMax);
      }

      @Override
      public void abort() {
        parser = new KvSnapshotParser(stateBytesMax);
      }
    };
  }

  /** Rebuilds a store with the default capacity; see {@link #restore(Bytes, long)}. */
  public static KvStore restore(Bytes snapshot) throws MalformedMessage {
    return restore(snapshot, STATE_BYTES_MAX);
  }

  /**
   * Rebuilds a store from the bytes of a {@link #snapshot()}, for in-process callers (tests,
   * tools). The snapshot may come from a peer, so it is checked like a message: version, lengths,
   * strictly increasing keys, capacity, count, no trailing bytes; anything wrong is {@link
   * MalformedMessage}.
   */
  public static KvStore restore(Bytes snapshot, long stateBytesMax) throws MalformedMessage {
    KvSnapshotParser parser = new KvSnapshotParser(stateBytesMax);
    parser.accept(snapshot);
    parser.finish();
    KvStore store = new KvStore(stateBytesMax);
    store.entries.putAll(parser.entries);
    store.stateBytes = parser.stateBytes;
    return store;
  }
}
