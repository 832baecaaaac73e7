package oskr.protocol.pbft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import oskr.core.Bytes;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * View changes (TOCS §4.4, §4.5.2): a backup whose timer expires while it waits for a request, or
 * that hears f+1 VIEW-CHANGEs for higher views, moves to a new view and multicasts a signed
 * VIEW-CHANGE; the new primary gathers 2f+1 (with MACs, as many as its decision needs) and
 * multicasts NEW-VIEW with the re-proposals of {@link NewViewPlan}; replicas check it by
 * recomputing ({@link Certificates#newView}) and enter the view. Timeouts double with each view
 * change that brings no progress.
 */
final class ViewChanges {
  static final String STALE_VIEW_CHANGE = "stale view change";
  static final String STALE_NEW_VIEW = "stale new view";

  /** What the methods that may start a view change return when they do not. */
  static final long STAY = -1;

  private final PbftReplica replica;

  /** Per replica, its VIEW-CHANGE for the highest view (bounded: one per replica). */
  private final ViewChange[] latest;

  /** Successive view changes without executing anything: the exponent of the back-off. */
  private int attempts;

  private boolean timerArmed;

  /** The view whose NEW-VIEW this replica, as its primary, has started to build. */
  private long newViewBuiltFor = -1;

  /** Per replica, the latest view its agreement messages showed (see {@link #noteLaterView}). */
  private final long[] laterViews;

  /** The NEW-VIEW that started the current view, for replicas that missed it. */
  private NewView currentNewView;

  ViewChanges(PbftReplica replica) {
    this.replica = replica;
    this.latest = new ViewChange[replica.config.n()];
    this.laterViews = new long[replica.config.n()];
  }

  /** TOCS §4.5.2: T, 2T, 4T, ... for successive view changes without progress. */
  Duration timeout() {
    return replica.settings.viewChangeTimeout().multipliedBy(1L << Math.min(attempts, 16));
  }

  void armTimerIfIdle() {
    if (timerArmed) return;
    replica.context.setTimer(PbftTimer.VIEW_CHANGE, timeout());
    timerArmed = true;
  }

  /**
   * TOCS §4.5.2: a replica that sent VIEW-CHANGE for v starts its timer only once it has 2f+1
   * VIEW-CHANGEs for v (T for the first view change, doubled for each further one), so that a
   * replica alone in a higher view waits there for the others instead of moving on and on.
   */
  private void armNewViewTimerOnQuorum() {
    if (replica.isNormal() || timerArmed) return;
    int count = 0;
    for (ViewChange m : latest) if (m != null && m.newView() == replica.view()) count++;
    if (count < 2 * replica.f + 1) return;
    Duration base = replica.settings.viewChangeTimeout();
    replica.context.setTimer(
        PbftTimer.VIEW_CHANGE, base.multipliedBy(1L << Math.clamp(attempts - 1, 0, 16)));
    timerArmed = true;
  }

  void disarmTimer() {
    replica.context.cancelTimer(PbftTimer.VIEW_CHANGE);
    timerArmed = false;
  }

  /** A batch executed: the back-off resets; the timer restarts for requests still awaited. */
  void onProgress() {
    if (!replica.isNormal()) return; // old batches executing; the NEW-VIEW timer keeps running
    attempts = 0;
    disarmTimer();
    if (replica.requests.awaitsAny()) armTimerIfIdle();
  }

  /**
   * @return the view to move to, or {@link #STAY}
   */
  long onViewChangeTimeout() {
    timerArmed = false;
    if (replica.isNormal() && !replica.requests.awaitsAny()) return STAY;
    return replica.view() + 1;
  }

  /**
   * The replica moved to {@code newView} (TOCS §4.4): multicast our VIEW-CHANGE with the prepared
   * certificates (with MACs, the PRE-PREPAREd claims) of its log above the stable checkpoint.
   */
  void sendViewChange(long newView, List<PreparedProof> prepared, List<PrePrepared> prePrepared) {
    assert newView == replica.view() && !replica.isNormal() : "view change to another view";
    Checkpoints checkpoints = replica.checkpoints;
    ViewChange unsigned =
        new ViewChange(
            newView,
            checkpoints.stableSeq(),
            checkpoints.stableProof(),
            prepared,
            prePrepared,
            replica.index,
            Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.sign(crypto, unsigned::encodeSigned)),
        this::onViewChangeSigned);
    checkpoints.rebroadcastOwn();
    disarmTimer();
    attempts++;
  }

  private void onViewChangeSigned(ViewChange m) {
    if (m.newView() != replica.view() || replica.isNormal()) return;
    record(m);
    replica.context.broadcast(m);
    replica.context.setTimer(PbftTimer.VIEW_CHANGE_RESEND, replica.options.resendTimeout());
    armNewViewTimerOnQuorum();
    checkNewView();
  }

  /** Our VIEW-CHANGE and CHECKPOINTs again, until the NEW-VIEW comes. */
  void onResendTimeout() {
    ViewChange own = latest[replica.index];
    if (replica.isNormal() || own == null || own.newView() != replica.view()) return;
    replica.context.broadcast(own);
    replica.checkpoints.rebroadcastOwn();
    replica.context.setTimer(PbftTimer.VIEW_CHANGE_RESEND, replica.options.resendTimeout());
  }

  /** Records a VIEW-CHANGE for our view or a later one; false if dropped (counted). */
  boolean onViewChange(ViewChange m) {
    if (m.newView() < replica.view() || (m.newView() == replica.view() && replica.isNormal())) {
      replica.drops.count(STALE_VIEW_CHANGE);
      // The sender is behind: the NEW-VIEW of our view brings it here.
      if (replica.isNormal() && currentNewView != null) {
        replica.context.sendToReplica(m.replica(), currentNewView);
      }
      return false;
    }
    if (!record(m)) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return false;
    }
    return true;
  }

  /** After recording VIEW-CHANGEs: run the NEW-VIEW timer, and as primary build the NEW-VIEW. */
  void onViewChangesRecorded() {
    armNewViewTimerOnQuorum();
    checkNewView();
  }

  private boolean record(ViewChange m) {
    ViewChange known = latest[m.replica()];
    if (known != null && known.newView() >= m.newView()) return false;
    latest[m.replica()] = m;
    return true;
  }

  /**
   * TOCS §4.5.2: f+1 VIEW-CHANGEs for higher views: join the smallest of them.
   *
   * @return the view to move to, or {@link #STAY}
   */
  long viewFPlusOneAhead() {
    long[] ahead = new long[latest.length];
    int count = 0;
    for (int i = 0; i < latest.length; i++) {
      if (i != replica.index && latest[i] != null && latest[i].newView() > replica.view()) {
        ahead[count++] = latest[i].newView();
      }
    }
    if (count < replica.f + 1) return STAY;
    long[] views = Arrays.copyOf(ahead, count);
    Arrays.sort(views);
    return views[count - replica.f - 1]; // the smallest of the f+1 highest
  }

  /**
   * A replica that fell out of the view changes (it was down, or restarted without its state) sees
   * agreement messages of later views. Once f+1 other replicas showed a view above ours, at least
   * one correct replica is there: we send a VIEW-CHANGE for the (f+1)-th highest, which the
   * replicas already in that view answer with their NEW-VIEW.
   *
   * @return the view to move to, or {@link #STAY}
   */
  long noteLaterView(int sender, long messageView) {
    if (sender == replica.index || messageView <= laterViews[sender]) return STAY;
    laterViews[sender] = messageView;
    long[] ahead = new long[laterViews.length];
    int count = 0;
    for (long seen : laterViews) if (seen > replica.view()) ahead[count++] = seen;
    if (count < replica.f + 1) return STAY;
    long[] views = Arrays.copyOf(ahead, count);
    Arrays.sort(views);
    return views[count - replica.f - 1];
  }

  /**
   * The new primary: with 2f+1 VIEW-CHANGEs for its view, build and sign the NEW-VIEW. With MACs
   * (claims) it uses every VIEW-CHANGE it has, and waits for more while they cannot decide.
   */
  private void checkNewView() {
    long view = replica.view();
    if (replica.isNormal() || replica.primary() != replica.index || newViewBuiltFor == view) return;
    boolean claims = replica.macs();
    int wanted = claims ? replica.config.n() : 2 * replica.f + 1;
    List<ViewChange> set = new ArrayList<>();
    for (ViewChange m : latest) {
      if (m != null && m.newView() == view && set.size() < wanted) set.add(m);
    }
    if (set.size() < 2 * replica.f + 1) return;
    NewViewPlan plan = replica.newViewRule.plan(view, set, replica.f, claims);
    if (plan == null) return; // claims that cannot decide yet: more VIEW-CHANGEs will come
    newViewBuiltFor = view;
    replica.submit(
        crypto -> {
          List<PrePrepare> signed = new ArrayList<>(plan.prePrepares().size());
          for (PrePrepare m : plan.prePrepares()) {
            // With signatures each header is signed too (it may enter a certificate); receivers
            // take the batch from V (NewViewPlan). With MACs the NEW-VIEW's signature covers it.
            Bytes auth = claims ? Bytes.EMPTY : Auth.sign(crypto, m::encodeSigned);
            signed.add(new PrePrepare(m.view(), m.seq(), m.digest(), List.of(), auth));
          }
          NewView unsigned = new NewView(view, set, signed, Bytes.EMPTY);
          return unsigned.withAuth(Auth.sign(crypto, unsigned::encodeSigned));
        },
        signed -> {
          if (signed.view() != replica.view() || replica.isNormal()) return;
          replica.context.broadcast(signed);
          replica.enterView(signed, plan);
        });
  }

  /** The re-proposals of a NEW-VIEW for our view or a later one, or null if dropped (counted). */
  NewViewPlan onNewView(NewView m) {
    if (m.view() < replica.view() || (m.view() == replica.view() && replica.isNormal())) {
      replica.drops.count(STALE_NEW_VIEW);
      return null;
    }
    NewViewPlan plan =
        replica.newViewRule.plan(m.view(), m.viewChanges(), replica.f, replica.macs());
    assert plan != null : "a checked NEW-VIEW that cannot decide";
    return plan;
  }

  /**
   * Safety (TOCS §4.5.1): what committed in an earlier view is what every later view orders, so a
   * NEW-VIEW re-proposes, at a sequence number this replica saw committed, the batch that
   * committed.
   *
   * <p>Always on and fail-stop ({@link Invariants#check}), not a dropped message: no NEW-VIEW gets
   * here unchecked. {@link Pbft#verify} recomputed its re-proposals from V, 2f+1 VIEW-CHANGEs with
   * valid signatures and certificates ({@link Certificates#newView}), and this replica recomputed
   * them again ({@link #onNewView}), so a Byzantine primary only chooses which VIEW-CHANGEs make V.
   * A batch committed here prepared at 2f+1 replicas, f+1 of them correct, and any 2f+1
   * VIEW-CHANGEs include one of those: with signatures its certificate is the highest-view one at
   * this number (§4.5.1), with MACs it is the only claim meeting A1 and A2 (§5.2); a checkpoint
   * above the number takes it out of the watermarks instead. So a failure means a bug of ours (the
   * decision, the log, state transfer) or more than f faulty replicas; either way this replica
   * would order a batch other than the one it executed and replied on, and it must stop rather than
   * go on.
   */
  static void checkKeepsCommitted(Slot slot, PrePrepare reProposed) {
    Invariants.check(
        !slot.isCommitted() || slot.committedDigest().equals(reProposed.digest()),
        "NEW-VIEW re-proposes another batch at committed " + reProposed.seq());
  }

  /** The replica entered the view of {@code m}: keep it for laggards, stop resending ours. */
  void entered(NewView m) {
    currentNewView = m;
    replica.context.cancelTimer(PbftTimer.VIEW_CHANGE_RESEND);
    for (ViewChange viewChange : m.viewChanges()) record(viewChange);
  }
}
