package oskr.protocol.hotstuff;

import java.time.Duration;
import java.util.Arrays;
import oskr.protocol.Context;
import oskr.protocol.Drops;

/**
 * What one replica can make this one send by asking for state: a FETCH-STATE is small and unsigned,
 * its answer a chunk of up to 48 KiB, so a faulty replica could use it to amplify traffic. Per
 * requester and per period (the view timeout) at most {@link #CHUNKS_PER_PERIOD} are answered; the
 * rest are dropped and counted. A correct replica asks for one chunk at a time and waits for it, so
 * it is slowed down at most, never stopped.
 */
final class ChunkBudget {
  static final String SPENT = "state fetch over the requester's budget";

  /** FETCH-STATEs answered per requester and period: 3 MiB of chunks. */
  static final int CHUNKS_PER_PERIOD = 64;

  private final Context<HotStuffMessage> context;
  private final Duration period;
  private final Drops drops;
  private final int[] answered;

  /** Per requester, every chunk served: observability for tests of the budget. */
  private final long[] served;

  private boolean periodRunning;

  ChunkBudget(Context<HotStuffMessage> context, int n, Duration period, Drops drops) {
    this.context = context;
    this.period = period;
    this.drops = drops;
    this.answered = new int[n];
    this.served = new long[n];
  }

  /** Whether a chunk for {@code requester} is sent now; counts the drop if not. */
  boolean take(int requester) {
    if (answered[requester] >= CHUNKS_PER_PERIOD) {
      drops.count(SPENT);
      return false;
    }
    answered[requester]++;
    served[requester]++;
    if (!periodRunning) {
      // The period starts with the first answer, so that an idle replica sets no timer.
      periodRunning = true;
      context.setTimer(HotStuffTimer.STATE_REFILL, period);
    }
    return true;
  }

  /** The period ended (or timers died with a pause): every requester may ask again. */
  void refill() {
    periodRunning = false;
    Arrays.fill(answered, 0);
  }

  long servedTo(int requester) {
    return served[requester];
  }
}
