package oskr.core;

/**
 * The replicated state machine. Operations and results are opaque bytes. Called only from the
 * protocol thread, in the order the protocol decided; must be deterministic.
 *
 * <p>Protocols with checkpoints and state transfer (PBFT) digest {@link #snapshot()} to agree on
 * the state and ship it to a replica that fell behind, which installs it with {@link #restoreFrom}.
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
   * The whole state as canonical bytes: two apps that executed the same operations return equal
   * bytes (so digests of snapshots can be compared across replicas).
   */
  Bytes snapshot();

  /**
   * Replaces the whole state with one from {@link #snapshot()}, verified by the protocol against a
   * digest agreed by a quorum before this is called.
   *
   * @throws IllegalArgumentException if the bytes are not a snapshot of this app
   */
  void restoreFrom(Bytes snapshot);

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
      public Bytes snapshot() {
        return Bytes.EMPTY;
      }

      @Override
      public void restoreFrom(Bytes snapshot) {
        if (snapshot.length() != 0) throw new IllegalArgumentException("a stateless app");
      }
    };
  }
}
