package oskr.protocol.pbft;

import java.time.Duration;
import oskr.protocol.Options;
import oskr.protocol.ProtocolSettings;

/**
 * PBFT's own settings.
 *
 * @param checkpointInterval K: a checkpoint every K sequence numbers
 * @param watermarkWindow L: sequence numbers accepted above the stable checkpoint; a multiple of K,
 *     at least 2K so the primary can run ahead while a checkpoint becomes stable
 * @param viewChangeTimeout how long a backup waits for a request to execute before it starts a view
 *     change; doubled for each successive view change without progress
 */
public record PbftSettings(int checkpointInterval, int watermarkWindow, Duration viewChangeTimeout)
    implements ProtocolSettings {
  /** The largest watermark window: bounds every log a replica keeps. */
  public static final int WATERMARK_WINDOW_MAX = 4096;

  public static final PbftSettings DEFAULTS = new PbftSettings(128, 256, Duration.ofMillis(500));

  public PbftSettings {
    Options.requirePositive(viewChangeTimeout, "view change timeout");
    if (checkpointInterval < 1)
      throw new IllegalArgumentException("checkpoint interval must be >= 1");
    if (watermarkWindow < 2 * checkpointInterval
        || watermarkWindow % checkpointInterval != 0
        || watermarkWindow > WATERMARK_WINDOW_MAX) {
      throw new IllegalArgumentException(
          "watermark window must be a multiple of the checkpoint interval, at least twice it and"
              + " at most "
              + WATERMARK_WINDOW_MAX);
    }
  }

  /** The settings of a run: {@link #DEFAULTS} unless {@code options} carries PBFT's own. */
  public static PbftSettings of(Options options) {
    return options.settings(PbftSettings.class, DEFAULTS);
  }

  /** The defaults with K and L set together (L a multiple of K, at least 2K). */
  public static PbftSettings checkpoints(int checkpointInterval, int watermarkWindow) {
    return DEFAULTS.withCheckpoints(checkpointInterval, watermarkWindow);
  }

  public PbftSettings withCheckpoints(int checkpointInterval, int watermarkWindow) {
    return new PbftSettings(checkpointInterval, watermarkWindow, viewChangeTimeout);
  }

  public PbftSettings withViewChangeTimeout(Duration viewChangeTimeout) {
    return new PbftSettings(checkpointInterval, watermarkWindow, viewChangeTimeout);
  }
}
