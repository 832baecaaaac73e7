package oskr.protocol;

import java.time.Duration;
import oskr.core.Limits;
import oskr.core.crypto.Scheme;

/**
 * Per-run protocol settings that every protocol reads, plus one protocol's own {@link
 * ProtocolSettings}.
 *
 * @param batchSizeMax the most requests a primary or leader puts in one batch ({@code -b})
 * @param scheme the signature scheme of signed protocols
 * @param resendTimeout how long a client waits for its result before resending
 * @param settings the protocol's own settings, or {@link ProtocolSettings#DEFAULTS}
 */
public record Options(
    int batchSizeMax, Scheme scheme, Duration resendTimeout, ProtocolSettings settings) {
  public Options {
    if (batchSizeMax < 1 || batchSizeMax > Limits.BATCH_MAX) {
      throw new IllegalArgumentException("batch size must be 1.." + Limits.BATCH_MAX);
    }
    requirePositive(resendTimeout, "resend timeout");
    if (settings == null) throw new IllegalArgumentException("settings: use DEFAULTS");
  }

  public Options(int batchSizeMax, Scheme scheme, Duration resendTimeout) {
    this(batchSizeMax, scheme, resendTimeout, ProtocolSettings.DEFAULTS);
  }

  /** Checks that a duration setting is positive. */
  public static void requirePositive(Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive");
    }
  }

  public static Options defaults() {
    return new Options(1, Scheme.SECP256K1, Duration.ofMillis(200));
  }

  public Options withScheme(Scheme scheme) {
    return new Options(batchSizeMax, scheme, resendTimeout, settings);
  }

  public Options withBatchSizeMax(int batchSizeMax) {
    return new Options(batchSizeMax, scheme, resendTimeout, settings);
  }

  public Options withResendTimeout(Duration resendTimeout) {
    return new Options(batchSizeMax, scheme, resendTimeout, settings);
  }

  public Options withSettings(ProtocolSettings settings) {
    return new Options(batchSizeMax, scheme, resendTimeout, settings);
  }

  /**
   * The protocol's own settings: {@code defaults} when none were given.
   *
   * @throws IllegalArgumentException if the settings are another protocol's
   */
  public <S extends ProtocolSettings> S settings(Class<S> type, S defaults) {
    if (settings instanceof ProtocolSettings.Defaults) return defaults;
    if (!type.isInstance(settings)) {
      throw new IllegalArgumentException(
          "settings " + settings + " are not " + type.getSimpleName());
    }
    return type.cast(settings);
  }
}
