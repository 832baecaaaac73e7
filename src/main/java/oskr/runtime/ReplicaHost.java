package oskr.runtime;

import java.io.IOException;
import java.util.Map;
import oskr.core.App;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.protocol.Options;
import oskr.protocol.Protocol;

/** Runs one replica on UDP: the stage (protocol thread, workers, timers) and the transport. */
public final class ReplicaHost implements AutoCloseable {
  private ReplicaHost() {}

  /**
   * Binds the replica's address from the config and starts serving.
   *
   * @throws IOException if the port is in use or the address is not local
   */
  public static <M> ReplicaHost start(
      Protocol<M> protocol,
      Config config,
      int index,
      Keyring keyring,
      App app,
      Options options,
      RuntimeOptions runtime)
      throws IOException {
    throw new UnsupportedOperationException("ReplicaHost: runtime not built yet (#4)");
  }

  /** Drop counters by reason: the transport's (malformed frames, bad signatures, ...) and the protocol's. */
  public Map<String, Long> drops() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
