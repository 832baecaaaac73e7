package oskr.protocol.zyzzyva;

import java.time.Duration;
import oskr.protocol.Options;
import oskr.protocol.ProtocolSettings;

/**
 * Zyzzyva's own settings.
 *
 * @param checkpointInterval K: a commit point (VOTEs, then a CHECKPOINT) every K sequence numbers
 * @param window L: how far the primary orders above the stable checkpoint; a multiple of K, at
 *     least 2K so the primary runs on while a checkpoint becomes stable
 * @param viewChangeTimeout how long a backup waits for a relayed request or a missing order before
 *     it starts a view change, and a replica for the NEW-VIEW; doubled per view change without one
 */
public record ZyzzyvaSettings(int checkpointInterval, int window, Duration viewChangeTimeout)
    implements ProtocolSettings {
  /** The largest window: bounds every log a replica keeps and every list in a message. */
  public static final int WINDOW_MAX = 4096;

  public static final ZyzzyvaSettings DEFAULTS =
      new ZyzzyvaSettings(128, 256, Duration.ofMillis(500));

  public ZyzzyvaSettings {
    Options.requirePositive(viewChangeTimeout, "view change timeout");
    if (checkpointInterval < 1) {
      throw new IllegalArgumentException("checkpoint interval must be >= 1");
    }
    if (window < 2 * checkpointInterval
        || window % checkpointInterval != 0
        || window > WINDOW_MAX) {
      throw new IllegalArgumentException(
          "window must be a multiple of the checkpoint interval, at least twice it and at most "
              + WINDOW_MAX);
    }
  }

  /** The settings of a run: {@link #DEFAULTS} unless {@code options} carries Zyzzyva's own. */
  public static ZyzzyvaSettings of(Options options) {
    return options.settings(ZyzzyvaSettings.class, DEFAULTS);
  }

  public ZyzzyvaSettings withCheckpoints(int checkpointInterval, int window) {
    return new ZyzzyvaSettings(checkpointInterval, window, viewChangeTimeout);
  }

  public ZyzzyvaSettings withViewChangeTimeout(Duration timeout) {
    return new ZyzzyvaSettings(checkpointInterval, window, timeout);
  }
}
