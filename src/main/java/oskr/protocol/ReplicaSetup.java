package oskr.protocol;

import oskr.core.App;
import oskr.core.Config;

/**
 * What a protocol needs to make a replica.
 *
 * @param start whether the replica starts for the first time, or restarts after losing its state
 *     (it may have taken part before, and must recover what it knew from the others before it
 *     answers again: VR's recovery protocol)
 */
public record ReplicaSetup<M>(
    Config config, int index, App app, Options options, Context<M> context, Start start) {
  /** How a replica comes up. */
  public enum Start {
    /** For the first time: no replica of the group has state yet that it lacks. */
    FRESH,
    /** After a crash that lost its state, while the others went on. */
    AFTER_STATE_LOSS
  }

  public ReplicaSetup {
    if (index < 0 || index >= config.n())
      throw new IllegalArgumentException("replica index " + index);
  }

  /** A replica starting {@link Start#FRESH}. */
  public ReplicaSetup(Config config, int index, App app, Options options, Context<M> context) {
    this(config, index, app, options, context, Start.FRESH);
  }
}
