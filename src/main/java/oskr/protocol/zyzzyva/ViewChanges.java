package oskr.protocol.zyzzyva;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;

/**
 * The view-change set: the highest-view VIEW-CHANGE of each replica (one per replica, so a faulty
 * one cannot grow it), our own latest VIEW-CHANGE and the last NEW-VIEW installed (sent again to
 * replicas that lag), and the back-off of successive view changes without a NEW-VIEW.
 */
final class ViewChanges {
  /** Doublings of the view-change timeout at most. */
  static final int BACKOFF_MAX = 6;

  private final int f;
  private final ViewChange[] latest;
  private ViewChange own;
  private NewView installed;
  private long newViewSentFor = -1;
  private int backoff;

  ViewChanges(int n, int f) {
    this.f = f;
    this.latest = new ViewChange[n];
  }

  /** Keeps {@code viewChange} if it is its sender's highest so far. */
  void add(ViewChange viewChange) {
    ViewChange previous = latest[viewChange.replica()];
    if (previous == null || previous.newView() < viewChange.newView()) {
      latest[viewChange.replica()] = viewChange;
    }
  }

  /**
   * PBFT's liveness rule, which Zyzzyva inherits: f+1 replicas moved past {@code view}, so at least
   * one correct one did; join the smallest view among them.
   */
  OptionalLong viewToJoin(long view) {
    List<Long> above = new ArrayList<>();
    for (ViewChange viewChange : latest) {
      if (viewChange != null && viewChange.newView() > view) above.add(viewChange.newView());
    }
    if (above.size() < f + 1) return OptionalLong.empty();
    above.sort(null);
    return OptionalLong.of(above.getFirst());
  }

  /** The smallest view above {@code view} that another replica moved to, if any did. */
  OptionalLong smallestAbove(long view, int self) {
    long smallest = Long.MAX_VALUE;
    for (ViewChange viewChange : latest) {
      if (viewChange != null && viewChange.replica() != self && viewChange.newView() > view) {
        smallest = Math.min(smallest, viewChange.newView());
      }
    }
    return smallest == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(smallest);
  }

  /** 2f+1 VIEW-CHANGEs for {@code view}, lowest replica indexes first, or empty. */
  List<ViewChange> quorumFor(long view) {
    List<ViewChange> quorum = new ArrayList<>();
    for (ViewChange viewChange : latest) {
      if (viewChange != null && viewChange.newView() == view && quorum.size() < 2 * f + 1) {
        quorum.add(viewChange);
      }
    }
    return quorum.size() == 2 * f + 1 ? quorum : List.of();
  }

  boolean newViewSent(long view) {
    return newViewSentFor == view;
  }

  void markNewViewSent(long view) {
    newViewSentFor = view;
  }

  void setOwn(ViewChange viewChange) {
    own = viewChange;
  }

  ViewChange own() {
    return own;
  }

  /** The NEW-VIEW of {@code view} is installed: back-off resets, older VIEW-CHANGEs go. */
  void installed(NewView newView) {
    installed = newView;
    backoff = 0;
    own = null;
    for (int i = 0; i < latest.length; i++) {
      if (latest[i] != null && latest[i].newView() <= newView.view()) latest[i] = null;
    }
  }

  /** The NEW-VIEW last installed, or null in view 0. */
  NewView installedNewView() {
    return installed;
  }

  /** The wait for the NEW-VIEW of a view just moved to: doubled per view without one. */
  Duration nextTimeout(Duration base) {
    Duration timeout = base.multipliedBy(1L << backoff);
    if (backoff < BACKOFF_MAX) backoff++;
    return timeout;
  }
}
