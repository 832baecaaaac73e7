package oskr.app;

import java.util.Optional;
import oskr.core.Bytes;

/**
 * The primitives every store offers and {@link KvExecution} runs the KV and YCSB ops on: an ordered
 * map of byte strings (keys compared unsigned, lexicographically) with a capacity. One
 * implementation per storage engine (in memory, SQLite, RocksDB); the op semantics live once, in
 * {@link KvExecution}, so every store answers every op alike. Called from the protocol thread only.
 */
public interface Table {
  /** The value under {@code key}, if any. */
  Optional<Bytes> get(Bytes key);

  /**
   * Sets {@code key} to {@code value} unless the store would then exceed its capacity.
   *
   * @return whether it did; when not, nothing changed
   */
  boolean put(Bytes key, Bytes value);

  /** Removes {@code key}; the value it had, if any. */
  Optional<Bytes> remove(Bytes key);

  /** Sees one entry of a scan; returns whether the scan should go on. */
  @FunctionalInterface
  interface Visitor {
    boolean visit(Bytes key, Bytes value);
  }

  /**
   * Visits the entries with {@code from <= key} and, unless {@code to} is empty, {@code key < to},
   * in key order, until {@code visitor} returns false or the range ends.
   */
  void scan(Bytes from, Bytes to, Visitor visitor);
}
