package oskr.protocol.hotstuff;

import java.util.Arrays;

/**
 * The pacemaker's view synchronisation (§4.3): per replica, the highest view it announced in a
 * NEW-VIEW. f+1 replicas beyond a view mean a correct one timed out into it, so a replica behind
 * follows them there (and says so); n-f of them let the view's leader propose without a QC of the
 * view before. Owns nothing else: the replica decides when views change.
 */
final class Pacemaker {
  private final long[] announced;
  private final int f;

  Pacemaker(int n, int f) {
    this.announced = new long[n];
    this.f = f;
  }

  /** Replica {@code replica} announced {@code view}; announcements only grow. */
  void announce(int replica, long view) {
    if (view > announced[replica]) announced[replica] = view;
  }

  /** The highest view f+1 replicas announced, or reached beyond: some correct replica is there. */
  long vouchedView() {
    long[] sorted = announced.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - (f + 1)];
  }

  /** The highest view {@code replica} announced (0 if none). */
  long announced(int replica) {
    return announced[replica];
  }

  /** The highest view {@code quorum} replicas announced, or reached beyond. */
  long certifiedView(int quorum) {
    long[] sorted = announced.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length - quorum];
  }

  /** How many replicas announced {@code view} or beyond. */
  int announcedAtLeast(long view) {
    int count = 0;
    for (long announcedView : announced) if (announcedView >= view) count++;
    return count;
  }
}
