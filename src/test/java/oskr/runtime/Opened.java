package oskr.runtime;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (hosts, loops, sockets), closed after it, last opened first, also when the
 * test failed: {@code @RegisterExtension final Opened open = new Opened();}, then {@code
 * open.track(ReplicaHost.start(...))}.
 */
final class Opened implements AfterEachCallback {
  private final List<AutoCloseable> opened = new ArrayList<>();

  <T extends AutoCloseable> T track(T closeable) {
    opened.add(closeable);
    return closeable;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      for (AutoCloseable closeable : opened.reversed()) closeable.close();
    } finally {
      opened.clear();
    }
  }
}
