package oskr.app;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Sha256;

/**
 * An in-memory ordered KV store: the replicated app. Operations and results are the canonical
 * encodings of {@link KvOp} and {@link KvResult}; a malformed op (input from the network) yields
 * {@link KvResult.BadOp} and never an exception. Deterministic: same state and op give the same
 * result bytes and the same next state.
 *
 * <p>The state is bounded: the sum over entries of {@code 8 + key length + value length} (the
 * snapshot size of the entries) stays at most {@link #stateBytesMax()}; a Put past it yields {@link
 * KvResult.StoreFull} and changes nothing.
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

  private final TreeMap<Bytes, Bytes> entries = new TreeMap<>();
  private final long stateBytesMax;
  private long stateBytes;
  private Sha256 sha256;

  private final Table table = new Entries();

  /** Tentative executions' changes, for {@link #rollback}. */
  private final Speculation speculation = new Speculation();

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
    return speculation.execute(opNumber, op, table);
  }

  @Override
  public boolean supportsRollback() {
    return true;
  }

  @Override
  public Bytes executeSpeculatively(long opNumber, Bytes op) {
    return speculation.executeSpeculatively(opNumber, op, table);
  }

  @Override
  public void commit(long opNumber) {
    speculation.commit(opNumber);
  }

  @Override
  public void rollback(long opNumber) {
    speculation.rollback(opNumber, table);
  }

  /** Tentative changes not yet committed, for tests. */
  int tentativeChanges() {
    return speculation.pending();
  }

  /** Executes a decoded op: for in-process callers (workload loaders, tests). */
  public KvResult apply(KvOp op) {
    return KvExecution.apply(op, table);
  }

  /** The entries as a {@link Table}, capacity-checked. */
  private final class Entries implements Table {
    @Override
    public Optional<Bytes> get(Bytes key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public boolean put(Bytes key, Bytes value) {
      Bytes previous = entries.get(key);
      long after = stateBytes + entryBytes(key, value);
      if (previous != null) after -= entryBytes(key, previous);
      if (after > stateBytesMax) return false;
      entries.put(key, value);
      stateBytes = after;
      return true;
    }

    @Override
    public Optional<Bytes> remove(Bytes key) {
      Bytes previous = entries.remove(key);
      if (previous == null) return Optional.empty();
      stateBytes -= entryBytes(key, previous);
      assert stateBytes >= 0 : stateBytes;
      return Optional.of(previous);
    }

    @Override
    public void scan(Bytes from, Bytes to, Visitor visitor) {
      NavigableMap<Bytes, Bytes> range =
          to.length() == 0
              ? entries.tailMap(from, true)
              : from.compareTo(to) >= 0
                  ? Collections.emptyNavigableMap()
                  : entries.subMap(from, true, to, false);
      for (Map.Entry<Bytes, Bytes> entry : range.entrySet()) {
        if (!visitor.visit(entry.getKey(), entry.getValue())) return;
      }
    }
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
        speculation.reset(); // the state was replaced: nothing tentative is left to undo
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
