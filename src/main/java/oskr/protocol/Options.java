package oskr.protocol;

import java.time.Duration;
import oskr.core.Limits;
import oskr.core.crypto.Scheme;

/**
 * Per-run protocol settings.
 *
 * @param batchSizeMax the most requests a primary puts in one batch ({@code -b})
 * @param scheme the signature scheme of signed protocols
 * @param resendTimeout how long a client waits for its result before resending
 * @param checkpointInterval K: a checkpoint every K sequence numbers (PBFT)
 * @param watermarkWindow L: sequence numbers accepted above the stable checkpoint; a multiple of K,
 *     at least 2K so the primary can run ahead while a checkpoint becomes stable (PBFT)
 * @param viewChangeTimeout how long a backup waits for a request to execute before it starts a view
 *     change; doubled for each successive view change without progress (PBFT)
 */
public record Options(
    int batchSizeMax,
    Scheme scheme,
    Duration resendTimeout,
    int checkpointInterval,
    int watermarkWindow,
    Duration viewChangeTimeout) {
  /** The largest watermark window: bounds every log a replica keeps. */
  public static final int WATERMARK_WINDOW_MAX = 4096;

  public Options {
    if (batchSizeMax < 1 || batchSizeMax > Limits.BATCH_MAX) {
      throw new IllegalArgumentException("batch size must be 1.." + Limits.BATCH_MAX);
    }
    requirePositive(resendTimeout, "resend timeout");
    requirePositive(viewChangeTimeout, "view change timeout");
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

  /** The settings of protocols without checkpoints or view changes, PBFT's defaults for those. */
  public Options(int batchSizeMax, Scheme scheme, Duration resendTimeout) {
    this(batchSizeMax, scheme, resendTimeout, 128, 256, Duration.ofMillis(500));
  }

  private static void requirePositive(Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  public static Options defaults() {
    return new Options(1, Scheme.SECP256K1, Duration.ofMillis(200));
  }

  public Options withScheme(Scheme scheme) {
    return new Options(
        batchSizeMax,
        scheme,
        resendTimeout,
        checkpointInterval,
        watermarkWindow,
        viewChangeTimeout);
  }

  public Options withBatchSizeMax(int batchSizeMax) {
    return new Options(
        batchSizeMax,
        scheme,
        resendTimeout,
        checkpointInterval,
        watermarkWindow,
        viewChangeTimeout);
  }

  public Options withResendTimeout(Duration resendTimeout) {
    return new Options(
        batchSizeMax,
        scheme,
        resendTimeout,
        checkpointInterval,
        watermarkWindow,
        viewChangeTimeout);
  }

  /** Sets K and L together (L a multiple of K, at least 2K). */
  public Options withCheckpoints(int checkpointInterval, int watermarkWindow) {
    return new Options(
        batchSizeMax,
        scheme,
        resendTimeout,
        checkpointInterval,
        watermarkWindow,
        viewChangeTimeout);
  }

  public Options withViewChangeTimeout(Duration viewChangeTimeout) {
    return new Options(
        batchSizeMax,
        scheme,
        resendTimeout,
        checkpointInterval,
        watermarkWindow,
        viewChangeTimeout);
  }
}
