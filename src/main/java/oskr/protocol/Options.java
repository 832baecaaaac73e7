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
 */
public record Options(int batchSizeMax, Scheme scheme, Duration resendTimeout) {
  public Options {
    if (batchSizeMax < 1 || batchSizeMax > Limits.BATCH_MAX) {
      throw new IllegalArgumentException("batch size must be 1.." + Limits.BATCH_MAX);
    }
    if (resendTimeout.isNegative() || resendTimeout.isZero()) {
      throw new IllegalArgumentException("resend timeout must be positive");
    }
  }

  public static Options defaults() {
    return new Options(1, Scheme.SECP256K1, Duration.ofMillis(200));
  }

  public Options withScheme(Scheme scheme) {
    return new Options(batchSizeMax, scheme, resendTimeout);
  }

  public Options withBatchSizeMax(int batchSizeMax) {
    return new Options(batchSizeMax, scheme, resendTimeout);
  }

  public Options withResendTimeout(Duration resendTimeout) {
    return new Options(batchSizeMax, scheme, resendTimeout);
  }
}
