package oskr.protocol.vr;

import java.time.Duration;
import java.util.Arrays;
import oskr.protocol.vr.VrMessage.DoViewChange;

/**
 * The votes of one view change (VR §4.2): which replicas sent START-VIEW-CHANGE for the view being
 * changed to, the DO-VIEW-CHANGEs the new primary collected, the one we sent, and how many view
 * changes in a row did not complete (the timeout's back-off). Decides the new log; the replica
 * applies it.
 */
final class ViewChanges {
  /** The back-off doubles the timeout at most this many times. */
  static final int BACK_OFF_MAX = 3;

  /** The new primary's decision: the log of the view and its commit number. */
  record Decision(LogSegment log, long commitNumber) {}

  private final int f;
  private final int self;
  private long view = -1;
  private long startViewChanges;
  private final DoViewChange[] doViewChanges;
  private DoViewChange sent;
  private int attempts;

  ViewChanges(int n, int f, int self) {
    this.f = f;
    this.self = self;
    this.doViewChanges = new DoViewChange[n];
  }

  /** Starts collecting votes for {@code newView}. */
  void begin(long newView) {
    assert newView > view : "view changes go forward";
    view = newView;
    startViewChanges = 0;
    Arrays.fill(doViewChanges, null);
    sent = null;
    attempts++;
  }

  /** A view was entered in normal status: the votes are spent, the back-off starts over. */
  void entered() {
    startViewChanges = 0;
    Arrays.fill(doViewChanges, null);
    sent = null;
    attempts = 0;
  }

  /** How long to wait for the view change to {@link #begin}'s view to complete. */
  Duration timeout(Duration base) {
    return base.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), BACK_OFF_MAX));
  }

  /** Records another replica's START-VIEW-CHANGE for the view; false if it counted already. */
  boolean addStartViewChange(int replica) {
    assert replica != self : "our own START-VIEW-CHANGE";
    long bit = 1L << replica;
    if ((startViewChanges & bit) != 0) return false;
    startViewChanges |= bit;
    return true;
  }

  /** §4.2 step 2: f other replicas started this view change. */
  boolean startViewChangeQuorum() {
    return Long.bitCount(startViewChanges) >= f;
  }

  void sent(DoViewChange doViewChange) {
    assert sent == null : "two DO-VIEW-CHANGEs for one view";
    sent = doViewChange;
  }

  /** Ours, once sent; null before. */
  DoViewChange sentDoViewChange() {
    return sent;
  }

  /** Records a DO-VIEW-CHANGE for the view; false if its sender counted already. */
  boolean addDoViewChange(DoViewChange m) {
    assert m.view() == view : "a vote for another view";
    if (doViewChanges[m.replica()] != null) return false;
    doViewChanges[m.replica()] = m;
    return true;
  }

  /** §4.2 step 3: f+1 DO-VIEW-CHANGEs, ours among them if we sent it. */
  boolean doViewChangeQuorum() {
    int count = 0;
    for (DoViewChange m : doViewChanges) if (m != null) count++;
    return count >= f + 1;
  }

  /**
   * §4.2 step 3: the log of the DO-VIEW-CHANGE with the largest v' (the last view in which its
   * sender was normal), among those the largest op number; the largest commit number received.
   *
   * @param longestLogWins the planted bug of a mutation test: ignore v', take the longest log
   */
  Decision decide(boolean longestLogWins) {
    DoViewChange best = null;
    long commitNumber = 0;
    for (DoViewChange m : doViewChanges) {
      if (m == null) continue;
      commitNumber = Math.max(commitNumber, m.commitNumber());
      if (best == null || better(m, best, longestLogWins)) best = m;
    }
    Invariants.check(best != null, "a decision without DO-VIEW-CHANGEs");
    Invariants.check(commitNumber <= best.opNumber(), "the chosen log lacks committed ops");
    return new Decision(best.log(), commitNumber);
  }

  private static boolean better(DoViewChange m, DoViewChange best, boolean longestLogWins) {
    if (!longestLogWins && m.lastNormalView() != best.lastNormalView()) {
      return m.lastNormalView() > best.lastNormalView();
    }
    return m.opNumber() > best.opNumber();
  }
}
