package oskr.app;

import java.lang.ref.Cleaner;
import java.util.Optional;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Sha256;

/**
 * What the durable stores (SQLite, RocksDB) share: the op semantics ({@link KvExecution}),
 * speculation with rollback ({@link Speculation}), the capacity, and the canonical snapshot and its
 * install in pieces, over an engine's primitives. Every op (and every rollback) is one atomic write
 * to the engine, together with the store's metadata: the record count and state bytes (so a
 * snapshot knows its size without a scan) and the number of the last op that wrote (an op that only
 * reads writes nothing).
 *
 * <p>What a restart keeps: the data and that metadata, exactly as of the last op executed
 * (tentative ops included: a speculative protocol's undo log is in memory only). The protocols keep
 * their own state (view, log, client table) in memory; see {@code docs/storage.md} for what that
 * means when one replica, or the whole group, restarts on its data.
 *
 * <p>A failing engine (disk full, I/O error) is not an input error: it throws {@link
 * IllegalStateException}, which stops the replica (fail-stop). Not thread-safe: the protocol thread
 * calls it; snapshots are read from any thread.
 */
public abstract class DurableStore implements App, AutoCloseable {
  /** The most a durable store holds: the snapshot's count is a u32, its size a long. */
  public static final long STATE_BYTES_MAX = 1L << 40;

  private static final int DIGEST_PIECE_BYTES = 64 * 1024;

  private final long stateBytesMax;
  private final Speculation speculation = new Speculation();
  private final Table table = new Accounting();

  /** Releases the engine's frozen states of snapshots nobody reads any more. */
  protected final Cleaner cleaner = Cleaner.create();

  private long count;
  private long stateBytes;
  private long applied;

  /** Whether the op in progress wrote: an op that only reads writes nothing to the engine. */
  private boolean dirty;

  protected DurableStore(long stateBytesMax) {
    if (stateBytesMax <= 0 || stateBytesMax > STATE_BYTES_MAX) {
      throw new IllegalArgumentException("stateBytesMax out of range: " + stateBytesMax);
    }
    this.stateBytesMax = stateBytesMax;
  }

  /** Closes the engine and every snapshot still open on it; the store is not used after. */
  @Override
  public abstract void close();

  /** Called once by the subclass after opening: the metadata it read back. */
  protected final void recovered(long count, long stateBytes, long applied) {
    this.count = count;
    this.stateBytes = stateBytes;
    this.applied = applied;
  }

  /** The value of {@code key}, with this op's own writes visible. */
  protected abstract Optional<Bytes> load(Bytes key);

  /** Writes {@code key}, as part of the op in progress. */
  protected abstract void store(Bytes key, Bytes value);

  /** Deletes {@code key}, as part of the op in progress. */
  protected abstract void erase(Bytes key);

  /** Visits entries in key order, as {@link Table#scan}. */
  protected abstract void scan(Bytes from, Bytes to, Table.Visitor visitor);

  /** Makes the op in progress durable with the metadata, atomically. */
  protected abstract void commitOp(long applied, long count, long stateBytes);

  /** Freezes the current state for reading from any thread. */
  protected abstract StreamedSnapshot.Source freeze();

  /** Starts an install: a staging area the snapshot's entries go to, until commit or abort. */
  protected abstract Staging stage();

  /** Where an install puts the entries before they replace the state. */
  protected interface Staging {
    void put(Bytes key, Bytes value);

    /** Replaces the state with the staged entries and the metadata, atomically. */
    void commit(long count, long stateBytes);

    /** Drops what was staged; the state is unchanged. */
    void abort();
  }

  @Override
  public final Bytes execute(long opNumber, Bytes op) {
    Bytes result = speculation.execute(opNumber, op, table);
    finishOp(opNumber);
    return result;
  }

  @Override
  public final boolean supportsRollback() {
    return true;
  }

  @Override
  public final Bytes executeSpeculatively(long opNumber, Bytes op) {
    Bytes result = speculation.executeSpeculatively(opNumber, op, table);
    finishOp(opNumber);
    return result;
  }

  @Override
  public final void commit(long opNumber) {
    speculation.commit(opNumber);
  }

  @Override
  public final void rollback(long opNumber) {
    speculation.rollback(opNumber, table);
    finishOp(Math.min(applied, opNumber));
  }

  /** Commits the op's writes, if it made any, with the metadata. */
  private void finishOp(long opNumber) {
    if (!dirty) return;
    applied = opNumber;
    commitOp(applied, count, stateBytes);
    dirty = false;
  }

  /** The records present. */
  public final long size() {
    return count;
  }

  /** The bytes the entries take in a snapshot. */
  public final long stateBytes() {
    return stateBytes;
  }

  /** The number of the last op that changed the data (0 before any, or after an install). */
  public final long appliedOpNumber() {
    return applied;
  }

  public final long stateBytesMax() {
    return stateBytesMax;
  }

  @Override
  public final Snapshot snapshot() {
    return new StreamedSnapshot(count, stateBytes, freeze(), cleaner);
  }

  /** SHA-256 of the {@link #snapshot()} encoding, read piece by piece: O(state) time. */
  public final Digest digest() {
    Sha256 sha256 = new Sha256();
    Snapshot snapshot = snapshot();
    for (long offset = 0; offset < snapshot.size(); offset += DIGEST_PIECE_BYTES) {
      Bytes piece =
          snapshot.read(offset, (int) Math.min(DIGEST_PIECE_BYTES, snapshot.size() - offset));
      sha256.update(piece.unsafeArray(), 0, piece.length());
    }
    return sha256.finish();
  }

  /**
   * Installs a snapshot fed in pieces: each whole entry goes to the engine's staging area as it
   * arrives (memory holds one entry at most), and the commit swaps it in atomically.
   */
  @Override
  public final SnapshotSink snapshotSink() {
    return new SnapshotSink() {
      private Staging staging;
      private KvSnapshotParser parser;

      private void start() {
        if (staging != null) return;
        Staging opened = stage();
        staging = opened;
        parser = new KvSnapshotParser(stateBytesMax, opened::put);
      }

      @Override
      public void accept(Bytes bytes) {
        start();
        try {
          parser.accept(bytes);
        } catch (MalformedMessage e) {
          abort();
          throw new IllegalArgumentException("not a KV store snapshot: " + e.reason());
        }
      }

      @Override
      public void commit() {
        start();
        try {
          parser.finish();
        } catch (MalformedMessage e) {
          abort();
          throw new IllegalArgumentException("not a KV store snapshot: " + e.reason());
        }
        staging.commit(parser.count(), parser.stateBytes());
        count = parser.count();
        stateBytes = parser.stateBytes();
        applied = 0;
        speculation.reset(); // the state was replaced: nothing tentative is left to undo
        staging = null;
      }

      @Override
      public void abort() {
        if (staging != null) staging.abort();
        staging = null;
      }
    };
  }

  /** The engine as a {@link Table}: keeps the count and state bytes, enforces the capacity. */
  private final class Accounting implements Table {
    @Override
    public Optional<Bytes> get(Bytes key) {
      return load(key);
    }

    @Override
    public boolean put(Bytes key, Bytes value) {
      Optional<Bytes> previous = load(key);
      long after = stateBytes + KvSnapshot.entryBytes(key, value);
      if (previous.isPresent()) after -= KvSnapshot.entryBytes(key, previous.get());
      long countAfter = count + (previous.isPresent() ? 0 : 1);
      if (after > stateBytesMax || countAfter > 0xFFFF_FFFFL) return false;
      store(key, value);
      dirty = true;
      stateBytes = after;
      count = countAfter;
      return true;
    }

    @Override
    public Optional<Bytes> remove(Bytes key) {
      Optional<Bytes> previous = load(key);
      if (previous.isEmpty()) return previous;
      erase(key);
      dirty = true;
      stateBytes -= KvSnapshot.entryBytes(key, previous.get());
      count--;
      return previous;
    }

    @Override
    public void scan(Bytes from, Bytes to, Visitor visitor) {
      DurableStore.this.scan(from, to, visitor);
    }
  }
}
