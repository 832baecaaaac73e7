package oskr.runtime;

import java.util.Locale;

/**
 * How a replica runs its stateful executor (docs/transport.md, "Stage"). Both keep the same
 * guarantees: never two stateful tasks at once, strictly in order, timers cheap to re-arm, jobs on
 * the workers, fail-stop on an exception.
 */
public enum StageMode {
  /**
   * No protocol thread: a mailbox run by whichever thread posts to it while it is idle (usually the
   * worker that decoded the message), bounded, the remainder continued on a worker. With one worker
   * a request is received, decoded, executed and answered on one thread.
   */
  INLINE,
  /** A dedicated protocol thread that parks when idle and is woken by a post. */
  THREAD;

  /** The measured winner on the development machine (docs/transport.md). */
  public static final StageMode DEFAULT = INLINE;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException listing the accepted names
   */
  public static StageMode parse(String name) {
    for (StageMode mode : values()) if (mode.cliName().equals(name)) return mode;
    throw new IllegalArgumentException("unknown stage '" + name + "', expected inline or thread");
  }
}
