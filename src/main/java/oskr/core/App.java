package oskr.core;

import java.util.function.Consumer;

/**
 * The replicated state machine. Operations and results are opaque bytes. Called only from the
 * protocol thread, in the order the protocol decided; must be deterministic.
 *
 * <p>Protocols with checkpoints and state transfer (PBFT) read a {@link #snapshot()} in chunks to
 * digest the state and to ship it to a replica that fell behind, which feeds the chunks, verified
 * one by one against a digest agreed by a quorum, to a {@link #snapshotSink()}. Neither side needs
 * the whole state in one array, so a store holding gigabytes (on disk) can take part.
 *
 * <p>Speculative protocols (Zyzzyva) execute before an operation is committed, and may have to undo
 * it: {@link #executeSpeculatively}, then {@link #commit} what became final or {@link #rollback}
 * what the new view does not keep. An app says with {@link #supportsRollback()} whether it can; a
 * speculative protocol refuses to start on one that cannot. Non-speculative protocols call {@link
 * #execute} only, which is final at once.
 */
public interface App {
  /** Executes {@code op} as operation number {@code opNumber}, finally, and returns its result. */
  Bytes execute(long opNumber, Bytes op);

  /** Whether this app implements speculative execution: {@link #executeSpeculatively} and kin. */
  default boolean supportsRollback() {
    return false;
  }

  /**
   * Executes {@code op} as operation number {@code opNumber}, tentatively: its effects are visible
   * to later operations at once, and undone by a {@link #rollback} below {@code opNumber}.
   * Operation numbers of tentative executions increase; none follows a final {@link #execute} while
   * tentative ones are pending.
   *
   * @throws UnsupportedOperationException if {@link #supportsRollback()} is false
   */
  default Bytes executeSpeculatively(long opNumber, Bytes op) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot roll back");
  }

  /**
   * Makes every tentative execution numbered at most {@code opNumber} final: it can no longer be
   * rolled back, and the app may forget how to undo it.
   *
   * @throws UnsupportedOperationException if {@link #supportsRollback()} is false
   */
  default void commit(long opNumber) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot roll back");
  }

  /**
   * Undoes every tentative execution numbered above {@code opNumber}, latest first, leaving the
   * state as it was right after operation {@code opNumber}.
   *
   * @throws IllegalArgumentException if {@code opNumber} is below the last committed operation
   * @throws UnsupportedOperationException if {@link #supportsRollback()} is false
   */
  default void rollback(long opNumber) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot roll back");
  }

  /**
   * The current state, frozen: executing more operations does not change what the snapshot reads.
   * Its bytes are canonical: two apps that executed the same operations give snapshots of equal
   * size and equal bytes (so digests of snapshots can be compared across replicas).
   */
  Snapshot snapshot();

  /**
   * Starts replacing the whole state with the bytes of another app's {@link #snapshot()}, fed in
   * order. The state does not change until {@link SnapshotSink#commit()}; the protocol calls {@link
   * SnapshotSink#abort()} on a sink it abandons (it moved on to a later snapshot).
   */
  SnapshotSink snapshotSink();

  /**
   * The state at one point of execution, as a canonical byte string read in ranges. Immutable:
   * reads may come from any thread, at any time while the protocol keeps the snapshot (a
   * checkpoint's digest is computed on a worker while the app executes on).
   */
  interface Snapshot {
    /** The length of the canonical encoding in bytes. */
    long size();

    /**
     * Bytes {@code [offset, offset + length)} of the canonical encoding.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= offset}, {@code 0 <= length} and {@code
     *     offset + length <= size()}
     */
    Bytes read(long offset, int length);

    /** The snapshot of a state small enough to keep as one array (test apps, tiny apps). */
    static Snapshot of(Bytes bytes) {
      return new Snapshot() {
        @Override
        public long size() {
          return bytes.length();
        }

        @Override
        public Bytes read(long offset, int length) {
          java.util.Objects.checkFromIndexSize(offset, length, bytes.length());
          return Bytes.copyOf(bytes.unsafeArray(), (int) offset, length);
        }
      };
    }
  }

  /**
   * Takes a snapshot's bytes in order, in pieces cut anywhere, then replaces the state. The
   * protocol verified every piece against the agreed digest before it gets here, so a sink that
   * rejects its input has met a bug (or a different app), not a faulty peer.
   */
  interface SnapshotSink {
    /**
     * The next bytes of the snapshot.
     *
     * @throws IllegalArgumentException if they cannot continue a snapshot of this app
     */
    void accept(Bytes bytes);

    /**
     * All bytes were given: the state becomes the snapshot's.
     *
     * @throws IllegalArgumentException if the bytes were not a whole snapshot of this app; the
     *     state is then unchanged
     */
    void commit();

    /** The snapshot will not be completed: forget what was accepted (the state is unchanged). */
    void abort();

    /**
     * A sink for an app whose state is small enough to hold as one array: collects at most {@code
     * bytesMax} bytes and hands them to {@code install} on commit.
     */
    static SnapshotSink collecting(int bytesMax, Consumer<Bytes> install) {
      return new SnapshotSink() {
        private final Writer collected = new Writer(64);

        @Override
        public void accept(Bytes bytes) {
          if ((long) collected.position() + bytes.length() > bytesMax) {
            throw new IllegalArgumentException("snapshot larger than " + bytesMax + " bytes");
          }
          collected.raw(bytes.unsafeArray(), 0, bytes.length());
        }

        @Override
        public void commit() {
          install.accept(collected.toBytes());
        }

        @Override
        public void abort() {
          collected.reset();
        }
      };
    }
  }

  /** The execute function of an app without state, see {@link #stateless}. */
  @FunctionalInterface
  interface Execute {
    Bytes execute(long opNumber, Bytes op);
  }

  /**
   * An app whose results depend only on the operation and its number (echo, null, numbering): its
   * snapshot is empty. For example {@code App.stateless((opNumber, op) -> Bytes.EMPTY)}.
   */
  static App stateless(Execute execute) {
    return new App() {
      @Override
      public Bytes execute(long opNumber, Bytes op) {
        return execute.execute(opNumber, op);
      }

      /** Without state, there is nothing to undo: speculation is plain execution. */
      @Override
      public boolean supportsRollback() {
        return true;
      }

      @Override
      public Bytes executeSpeculatively(long opNumber, Bytes op) {
        return execute.execute(opNumber, op);
      }

      @Override
      public void commit(long opNumber) {}

      @Override
      public void rollback(long opNumber) {}

      @Override
      public Snapshot snapshot() {
        return Snapshot.of(Bytes.EMPTY);
      }

      @Override
      public SnapshotSink snapshotSink() {
        return SnapshotSink.collecting(0, bytes -> {});
      }
    };
  }
}
