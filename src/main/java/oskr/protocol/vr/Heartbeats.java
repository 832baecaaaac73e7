package oskr.protocol.vr;

import oskr.protocol.Context;
import oskr.protocol.vr.VrMessage.Commit;
import oskr.protocol.vr.VrMessage.Prepare;

/**
 * The primary's periodic duties: COMMIT when it sent no PREPARE since the last period (VR §4.1 step
 * 6), and, while nothing commits, the PREPAREs a backup did not acknowledge again (retransmission,
 * which the paper leaves to implementations). Owns only what it saw in the last period.
 */
final class Heartbeats {
  private final Context<VrMessage> context;
  private final int n;
  private final int self;
  private final int chunk;
  private boolean preparedSinceLast;
  private long commitAtLast;

  Heartbeats(Context<VrMessage> context, int n, int self, int batchSizeMax) {
    this.context = context;
    this.n = n;
    this.self = self;
    this.chunk = batchSizeMax;
  }

  /** A PREPARE went out: it told the backups the commit number. */
  void prepared() {
    preparedSinceLast = true;
  }

  /** A new view: start counting from its commit number. */
  void reset(long commitNumber) {
    preparedSinceLast = false;
    commitAtLast = commitNumber;
  }

  /** One period passed, for the primary of {@code view}. */
  void onPeriod(long view, long commitNumber, VrLog log, Acks acks) {
    if (!preparedSinceLast) context.broadcast(new Commit(view, commitNumber));
    if (commitNumber == commitAtLast && commitNumber < log.lastOp()) {
      resendPrepares(view, commitNumber, log, acks);
    }
    reset(commitNumber);
  }

  /** To each backup behind, its missing PREPAREs again, a pipeline's worth at most. */
  private void resendPrepares(long view, long commitNumber, VrLog log, Acks acks) {
    for (int replica = 0; replica < n; replica++) {
      if (replica == self || acks.acked(replica) >= log.lastOp()) continue;
      long from = Math.max(acks.acked(replica) + 1, log.start());
      long to = Math.min(log.lastOp(), from + (long) chunk * Batcher.PIPELINE_BATCHES_MAX - 1);
      for (long first = from; first <= to; first += chunk) {
        long last = Math.min(to, first + chunk - 1);
        LogSegment part = log.segment(first, last);
        long commit = Math.min(commitNumber, last);
        context.sendToReplica(replica, new Prepare(view, first, commit, part.entries()));
      }
    }
  }
}
