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
    Bytes payload;
    try {
      payload = KvWorkload.payload(op);
    } catch (MalformedMessage e) {
      payload = op;
    }
    return store.execute(opNumber, payload);
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
