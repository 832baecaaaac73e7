package oskr.app;

import oskr.core.App;
import oskr.core.Bytes;

/** Executes nothing and returns an empty result: the 0/0 benchmark app. It has no state. */
public final class NullApp implements App {
  @Override
  public Bytes execute(long opNumber, Bytes op) {
    return Bytes.EMPTY;
  }

  @Override
  public boolean supportsRollback() {
    return true;
  }

  @Override
  public Bytes executeSpeculatively(long opNumber, Bytes op) {
    return Bytes.EMPTY;
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
}
