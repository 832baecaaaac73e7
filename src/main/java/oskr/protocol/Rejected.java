package oskr.protocol;

/**
 * A decoded message failed its stateless check (bad signature or MAC, sender not a member). Cheap
 * to throw; the receive path counts {@link #reason()} and drops the message.
 */
public final class Rejected extends Exception {
  private final String reason;

  private Rejected(String reason) {
    super(reason, null, false, false);
    this.reason = reason;
  }

  public static Rejected of(String reason) {
    return new Rejected(reason);
  }

  public String reason() {
    return reason;
  }
}
