package oskr.protocol;

/**
 * How a client's operation completed, for benches and tests that count paths.
 *
 * @param path the protocol path that completed it
 * @param resends how many times the client sent the request again before it completed
 */
public record Completion(Path path, int resends) {
  /** The protocol's paths to completion. */
  public enum Path {
    /** The protocol's one normal case (Unreplicated, PBFT, HotStuff, VR). */
    NORMAL,
    /** A speculative protocol's fast path: every replica answered alike (Zyzzyva: 3f+1). */
    FAST,
    /** A speculative protocol's slow path: a commit certificate was needed (Zyzzyva: 2f+1). */
    SLOW
  }

  public static final Completion NORMAL = new Completion(Path.NORMAL, 0);

  public Completion {
    if (resends < 0) throw new IllegalArgumentException("resends " + resends);
  }

  /** The normal case after {@code resends} resends. */
  public static Completion normal(int resends) {
    return resends == 0 ? NORMAL : new Completion(Path.NORMAL, resends);
  }
}
