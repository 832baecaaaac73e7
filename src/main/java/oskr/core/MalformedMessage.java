package oskr.core;

/**
 * A frame that cannot be decoded: truncated, oversized, out of range, unknown tag, leftover bytes.
 * Peer input being wrong is normal, so this carries no stack trace and is cheap to throw; the
 * receive path counts it by {@link #reason()} and drops the frame.
 */
public final class MalformedMessage extends Exception {
  private final String reason;

  private MalformedMessage(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  public static MalformedMessage of(String reason) {
    return new MalformedMessage(reason);
  }

  /** A short stable name of what was wrong, usable as a counter key, for example "truncated". */
  public String reason() {
    return reason;
  }
}
