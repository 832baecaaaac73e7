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
  public Bytes snapshot() {
    return Bytes.EMPTY;
  }

  @Override
  public void restoreFrom(Bytes snapshot) {
    if (snapshot.length() != 0) throw new IllegalArgumentException("NullApp has no state");
  }
}
