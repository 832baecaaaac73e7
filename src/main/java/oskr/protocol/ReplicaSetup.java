package oskr.protocol;

import oskr.core.App;
import oskr.core.Config;

/** What a protocol needs to make a replica. */
public record ReplicaSetup<M>(Config config, int index, App app, Options options, Context<M> context) {
  public ReplicaSetup {
    if (index < 0 || index >= config.n()) throw new IllegalArgumentException("replica index " + index);
  }
}
