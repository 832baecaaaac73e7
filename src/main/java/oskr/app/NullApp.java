package oskr.app;

import oskr.core.App;
import oskr.core.Bytes;

/** Executes nothing and returns an empty result: the 0/0 benchmark app. */
public final class NullApp implements App {
  @Override
  public Bytes execute(long opNumber, Bytes op) {
    return Bytes.EMPTY;
  }
}
