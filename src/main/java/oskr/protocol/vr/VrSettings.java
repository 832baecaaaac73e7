package oskr.protocol.vr;

import java.time.Duration;
import oskr.protocol.Options;
import oskr.protocol.ProtocolSettings;

/**
 * VR's own settings.
 *
 * @param checkpointInterval a checkpoint (app snapshot and client table) every this many executed
 *     ops; the log keeps the ops since the checkpoint before the latest (VR §5.1)
 * @param commitInterval how long an idle primary waits before it sends COMMIT (§4.1 step 6); also
 *     the period at which it sends PREPAREs again to backups that did not acknowledge them
 * @param viewChangeTimeout how long a backup waits without word from its primary before it starts a
 *     view change (§4.2); doubled for each successive view change that does not complete, at most
 *     eight-fold
 */
public record VrSettings(
    int checkpointInterval, Duration commitInterval, Duration viewChangeTimeout)
    implements ProtocolSettings {
  /** Bounds the log: two checkpoint intervals of entries. */
  public static final int CHECKPOINT_INTERVAL_MAX = 1 << 16;

  public static final VrSettings DEFAULTS =
      new VrSettings(4096, Duration.ofMillis(25), Duration.ofMillis(250));

  public VrSettings {
    Options.requirePositive(commitInterval, "commit interval");
    Options.requirePositive(viewChangeTimeout, "view change timeout");
    if (checkpointInterval < 1 || checkpointInterval > CHECKPOINT_INTERVAL_MAX) {
      throw new IllegalArgumentException(
          "checkpoint interval must be 1.." + CHECKPOINT_INTERVAL_MAX);
    }
    if (commitInterval.compareTo(viewChangeTimeout) >= 0) {
      throw new IllegalArgumentException("the commit interval must be below the view timeout");
    }
  }

  /** The settings of a run: {@link #DEFAULTS} unless {@code options} carries VR's own. */
  public static VrSettings of(Options options) {
    return options.settings(VrSettings.class, DEFAULTS);
  }

  /** How long a replica waits for a NEW-STATE or snapshot chunk before it asks again. */
  public Duration retryDelay() {
    return commitInterval.multipliedBy(2);
  }

  /** How often START-VIEW-CHANGE and DO-VIEW-CHANGE go again while a view change lasts. */
  public Duration resendPeriod() {
    return viewChangeTimeout.dividedBy(4);
  }

  public VrSettings withCheckpointInterval(int interval) {
    return new VrSettings(interval, commitInterval, viewChangeTimeout);
  }
}
