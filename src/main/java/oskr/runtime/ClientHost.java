package oskr.runtime;

import java.io.IOException;
import java.util.Map;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.protocol.Options;
import oskr.protocol.Protocol;

/**
 * Runs {@code clients} protocol clients over UDP, spread over {@code threads} event loops, each
 * client in a closed loop driven by a {@link ClientDriver}. Client ids are drawn at random.
 */
public final class ClientHost implements AutoCloseable {
  private ClientHost() {}

  public static <M> ClientHost start(
      Protocol<M> protocol,
      Config config,
      Keyring keyring,
      Options options,
      int clients,
      int threads,
      ClientDriver driver)
      throws IOException {
    throw new UnsupportedOperationException("ClientHost: runtime not built yet (#4)");
  }

  /** Drop counters by reason, summed over the clients. */
  public Map<String, Long> drops() {
    throw new UnsupportedOperationException();
  }

  /** Stops every client loop and closes the sockets; no completion is reported after it returns. */
  @Override
  public void close() {}
}
