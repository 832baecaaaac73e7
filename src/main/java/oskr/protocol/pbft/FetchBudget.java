package oskr.protocol.pbft;

import java.util.Arrays;

/**
 * What one replica can make us send by asking: FETCH-LOG and FETCH-STATE are small and unsigned
 * while their answers are large (a FETCH-LOG is answered with up to K + L batches, a FETCH-STATE
 * with a 48 KiB chunk), so a faulty replica could use them to amplify traffic. Per requester and
 * per period (the resend timeout, measured by {@link PbftTimer#FETCH_BUDGET}) we answer at most
 * {@link #LOGS_PER_PERIOD} FETCH-LOGs and {@link #CHUNKS_PER_PERIOD} FETCH-STATEs; further requests
 * are dropped and counted. A correct replica asks for the log at most once per resend timeout and
 * for one chunk at a time, rotating sources when an answer does not come, so it is slowed down at
 * most, never stopped.
 */
final class FetchBudget {
  static final String SPENT = "fetch budget spent";

  /** FETCH-LOGs answered per requester and period. */
  static final int LOGS_PER_PERIOD = 2;

  /** FETCH-STATEs answered per requester and period: 6 MiB of chunks. */
  static final int CHUNKS_PER_PERIOD = 128;

  private final PbftReplica replica;
  private final int[] logsAnswered;
  private final int[] chunksAnswered;
  private boolean periodRunning;

  FetchBudget(PbftReplica replica) {
    this.replica = replica;
    this.logsAnswered = new int[replica.config.n()];
    this.chunksAnswered = new int[replica.config.n()];
  }

  /** Whether we answer a FETCH-LOG of {@code requester} now; counts the drop if not. */
  boolean takeLog(int requester) {
    return take(logsAnswered, requester, LOGS_PER_PERIOD);
  }

  /** Whether we answer a FETCH-STATE of {@code requester} now; counts the drop if not. */
  boolean takeChunk(int requester) {
    return take(chunksAnswered, requester, CHUNKS_PER_PERIOD);
  }

  private boolean take(int[] answered, int requester, int perPeriod) {
    if (answered[requester] >= perPeriod) {
      replica.drops.count(SPENT);
      return false;
    }
    answered[requester]++;
    if (!periodRunning) {
      // The period starts with the first answer, so that an idle replica sets no timer.
      periodRunning = true;
      replica.context.setTimer(PbftTimer.FETCH_BUDGET, replica.options.resendTimeout());
    }
    return true;
  }

  /** The period ended: every requester may ask again. */
  void onPeriodEnd() {
    periodRunning = false;
    Arrays.fill(logsAnswered, 0);
    Arrays.fill(chunksAnswered, 0);
  }
}
