package oskr.protocol.hotstuff;

import java.time.Duration;
import oskr.protocol.Options;
import oskr.protocol.ProtocolSettings;

/**
 * HotStuff's own settings.
 *
 * @param viewTimeout how long a replica with work pending (a request not yet executed, a block not
 *     yet committed) waits in a view before it moves to the next one (§4.3, the pacemaker); doubled
 *     for each view since the last certified one, at most {@link #BACK_OFF_MAX} times
 * @param retainedBlocks committed blocks kept below the last committed one, for block sync of
 *     replicas that fell behind; older ones are pruned
 * @param checkpointInterval every how many committed blocks a replica checkpoints its state (for
 *     state transfer to replicas that fell behind the retention); at most half the retention, so
 *     that the latest proven checkpoint's block and the blocks above it are still retained when a
 *     replica fetches its state, and a replica less than the retention behind uses block sync
 */
public record HotStuffSettings(Duration viewTimeout, int retainedBlocks, int checkpointInterval)
    implements ProtocolSettings {
  /** The most doublings of the view timeout. */
  public static final int BACK_OFF_MAX = 5;

  public static final int RETAINED_BLOCKS_MAX = 1 << 16;

  public static final HotStuffSettings DEFAULTS =
      new HotStuffSettings(Duration.ofMillis(100), 1024, 256);

  public HotStuffSettings {
    Options.requirePositive(viewTimeout, "view timeout");
    if (retainedBlocks < 3 || retainedBlocks > RETAINED_BLOCKS_MAX) {
      throw new IllegalArgumentException("retained blocks must be 3.." + RETAINED_BLOCKS_MAX);
    }
    if (checkpointInterval < 1 || checkpointInterval > Math.max(1, retainedBlocks / 2)) {
      throw new IllegalArgumentException(
          "checkpoint interval must be 1.."
              + Math.max(1, retainedBlocks / 2)
              + " (half the"
              + " retained blocks)");
    }
  }

  /** The settings of a run: {@link #DEFAULTS} unless {@code options} carries HotStuff's own. */
  public static HotStuffSettings of(Options options) {
    return options.settings(HotStuffSettings.class, DEFAULTS);
  }

  /**
   * These settings retaining {@code retained} blocks, checkpointing every quarter of them (as the
   * defaults do) unless the interval is shorter already.
   */
  public HotStuffSettings withRetainedBlocks(int retained) {
    return new HotStuffSettings(
        viewTimeout, retained, Math.min(checkpointInterval, Math.max(1, retained / 4)));
  }

  public HotStuffSettings withViewTimeout(Duration timeout) {
    return new HotStuffSettings(timeout, retainedBlocks, checkpointInterval);
  }

  public HotStuffSettings withCheckpointInterval(int interval) {
    return new HotStuffSettings(viewTimeout, retainedBlocks, interval);
  }

  /** The timeout of a view {@code viewsSinceCertified} views after the last certified one. */
  Duration timeout(long viewsSinceCertified) {
    long doublings = Math.min(Math.max(0, viewsSinceCertified), BACK_OFF_MAX);
    return viewTimeout.multipliedBy(1L << doublings);
  }
}
