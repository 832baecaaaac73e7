package oskr.protocol;

import oskr.core.Bytes;

/** Where a client delivers the accepted result of its outstanding operation. */
@FunctionalInterface
public interface Results {
  void complete(Bytes result);
}
