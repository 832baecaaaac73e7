package oskr.sim.dst;

import oskr.app.KvStore;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;

/**
 * The KV store behind the tags of {@link KvWorkload}: strips the tag and executes the op. An op
 * without a whole tag goes to the store as it is, which answers it as a bad op.
 */
public final class TaggedKvApp implements App {
  private final KvStore store = new KvStore();

  @Override
  public Bytes execute(long opNumber, Bytes op) {
    return store.execute(opNumber, payload(op));
  }

  @Override
  public boolean supportsRollback() {
    return true;
  }

  @Override
  public Bytes executeSpeculatively(long opNumber, Bytes op) {
    return store.executeSpeculatively(opNumber, payload(op));
  }

  @Override
  public void commit(long opNumber) {
    store.commit(opNumber);
  }

  @Override
  public void rollback(long opNumber) {
    store.rollback(opNumber);
  }

  private static Bytes payload(Bytes op) {
    try {
      return KvWorkload.payload(op);
    } catch (MalformedMessage e) {
      return op;
    }
  }

  /** The store's canonical state, for protocols that checkpoint it. */
  @Override
  public Snapshot snapshot() {
    return store.snapshot();
  }

  /** Installs a store snapshot fed in pieces (see {@link KvStore#snapshotSink()}). */
  @Override
  public SnapshotSink snapshotSink() {
    return store.snapshotSink();
  }
}
