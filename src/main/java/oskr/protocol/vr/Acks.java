package oskr.protocol.vr;

import java.util.Arrays;

/**
 * The primary's PREPARE-OKs of its view (VR §4.1 step 5): per backup, the highest op it holds the
 * log up to (backups take PREPAREs in op order, so one number says it all). An op is committed once
 * f backups hold it: with the primary, f+1 replicas do.
 */
final class Acks {
  private final int self;
  private final int f;
  private final long[] acked;
  private final long[] scratch;

  Acks(int n, int f, int self) {
    this.self = self;
    this.f = f;
    this.acked = new long[n];
    this.scratch = new long[n - 1];
  }

  /** A new view: nothing acknowledged yet. */
  void reset() {
    Arrays.fill(acked, 0);
  }

  /** Records that {@code replica} holds the log up to {@code op}; false if it said so already. */
  boolean record(int replica, long op) {
    assert replica != self : "our own PREPARE-OK";
    if (op <= acked[replica]) return false;
    acked[replica] = op;
    return true;
  }

  long acked(int replica) {
    return acked[replica];
  }

  /** The highest op f backups hold: the f-th highest acknowledgement (all ops for f = 0). */
  long quorum(long lastOp) {
    if (f == 0) return lastOp;
    int backups = 0;
    for (int i = 0; i < acked.length; i++) if (i != self) scratch[backups++] = acked[i];
    Arrays.sort(scratch);
    return Math.min(scratch[backups - f], lastOp);
  }
}
