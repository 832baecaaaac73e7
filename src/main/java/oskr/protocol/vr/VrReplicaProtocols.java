package oskr.protocol.vr;

import java.util.Optional;
import oskr.core.MalformedMessage;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;
import oskr.protocol.vr.VrMessage.NewState;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.StartView;
import oskr.protocol.vr.VrMessage.StartViewChange;

/**
 * The handlers of a replica's sub-protocols: view changes (VR §4.2), recovery (§4.3) and catching
 * up (§5.2), with their guards. They read the replica's state and change it only through its {@code
 * enter}/{@code become} methods; the votes, the recovery responses and a snapshot being fetched are
 * the replica's parts'.
 */
final class VrReplicaProtocols {
  static final String RECOVERING = "recovering";
  static final String NOT_RECOVERING = "recovery response while not recovering";
  static final String WRONG_NONCE = "recovery response to another nonce";
  static final String OWN_INCARNATION = "message of our own earlier incarnation";
  static final String SNAPSHOT_UNAVAILABLE = "snapshot not available";

  private final VrReplica replica;

  VrReplicaProtocols(VrReplica replica) {
    this.replica = replica;
  }

  // ---- Messages from the primary of a view: PREPARE and COMMIT (§4.1, §5.2) ----

  /**
   * Whether a backup takes a PREPARE or COMMIT of {@code view}: not while recovering (§4.3), not of
   * an older view; of a later view (or of the view we are changing to) we enter that view first
   * (§5.2). It resets the view-change timer: the primary is alive.
   */
  boolean acceptsFromPrimary(long view) {
    if (replica.status() == Status.RECOVERING) {
      replica.drops.count(RECOVERING);
      return false;
    }
    if (view < replica.viewNumber()) {
      replica.drops.count(VrReplica.STALE_VIEW);
      return false;
    }
    if (replica.primaryOf(view) == replica.index) {
      replica.drops.count(OWN_INCARNATION); // we are that view's primary: sent before a crash
      return false;
    }
    if (view > replica.viewNumber() || replica.status() == Status.VIEW_CHANGE) {
      replica.enterLaterView(view);
    }
    replica.context.setTimer(VrTimer.VIEW_CHANGE, replica.settings.viewChangeTimeout());
    return true;
  }

  // ---- View change (§4.2) ----

  void onViewChangeTimeout() {
    if (replica.status() == Status.RECOVERING) return;
    if (replica.status() == Status.NORMAL && replica.isPrimary()) return;
    startViewChange(replica.viewNumber() + 1);
  }

  /** §4.2 step 1: advance the view, stop normal processing, tell the others. */
  private void startViewChange(long view) {
    replica.enterViewChange(view);
    replica.context.broadcast(new StartViewChange(view, replica.index));
    maybeSendDoViewChange();
  }

  /** While changing views, START-VIEW-CHANGE and DO-VIEW-CHANGE go again: they may be lost. */
  void onViewChangeResend() {
    if (replica.status() != Status.VIEW_CHANGE) return;
    long view = replica.viewNumber();
    replica.context.broadcast(new StartViewChange(view, replica.index));
    DoViewChange sent = replica.viewChanges.sentDoViewChange();
    if (sent != null && replica.primary() != replica.index) {
      replica.context.sendToReplica(replica.primary(), sent);
    }
    replica.context.setTimer(VrTimer.VIEW_CHANGE_RESEND, replica.settings.resendPeriod());
  }

  void onStartViewChange(StartViewChange m) {
    if (!takesViewChangeMessage(m.view(), m.replica())) return;
    if (m.view() > replica.viewNumber()) startViewChange(m.view());
    if (!replica.viewChanges.addStartViewChange(m.replica())) {
      replica.drops.count(VrReplica.DUPLICATE);
      return;
    }
    maybeSendDoViewChange();
  }

  /**
   * Whether a view-change message for {@code view} concerns us: not while recovering (§4.3), not
   * for an older view or the view we are normal in (a new primary answers its sender, which missed
   * the START-VIEW, with it again).
   */
  private boolean takesViewChangeMessage(long view, int sender) {
    if (replica.status() == Status.RECOVERING) {
      replica.drops.count(RECOVERING);
      return false;
    }
    boolean stale =
        view < replica.viewNumber()
            || (view == replica.viewNumber() && replica.status() == Status.NORMAL);
    if (!stale) return true;
    replica.drops.count(VrReplica.STALE_VIEW);
    if (replica.status() == Status.NORMAL && replica.isPrimary()) sendStartView(sender);
    return false;
  }

  /** §4.2 step 2: once f others started this view change, our log goes to the new primary. */
  private void maybeSendDoViewChange() {
    ViewChanges votes = replica.viewChanges;
    if (replica.status() != Status.VIEW_CHANGE || votes.sentDoViewChange() != null) return;
    if (!votes.startViewChangeQuorum()) return;
    DoViewChange m =
        new DoViewChange(
            replica.viewNumber(),
            replica.lastNormalView(),
            replica.commitNumber(),
            replica.logToSend(),
            replica.index);
    votes.sent(m);
    if (replica.primary() == replica.index) {
      collect(m);
    } else {
      replica.context.sendToReplica(replica.primary(), m);
    }
  }

  void onDoViewChange(DoViewChange m) {
    if (!takesViewChangeMessage(m.view(), m.replica())) return;
    if (replica.primaryOf(m.view()) != replica.index) {
      replica.drops.count(VrReplica.NOT_PRIMARY);
      return;
    }
    if (m.view() > replica.viewNumber()) startViewChange(m.view());
    if (replica.status() == Status.VIEW_CHANGE) collect(m);
  }

  /** §4.2 step 3: with f+1 DO-VIEW-CHANGEs the new primary decides the log and starts the view. */
  private void collect(DoViewChange m) {
    if (!replica.viewChanges.addDoViewChange(m)) {
      replica.drops.count(VrReplica.DUPLICATE);
      return;
    }
    if (!replica.viewChanges.doViewChangeQuorum()) return;
    boolean longestLogWins = replica.bug == Vr.PlantedBug.LONGEST_LOG_WINS;
    replica.becomePrimary(replica.viewChanges.decide(longestLogWins));
  }

  void onStartView(StartView m) {
    if (!takesViewChangeMessage(m.view(), replica.primaryOf(m.view()))) return;
    if (replica.primaryOf(m.view()) == replica.index) {
      replica.drops.count(OWN_INCARNATION);
      return;
    }
    replica.enterViewAsBackup(m.view(), m.log(), m.commitNumber());
  }

  void sendStartView(int to) {
    StartView m = new StartView(replica.viewNumber(), replica.commitNumber(), replica.logToSend());
    replica.context.sendToReplica(to, m);
  }

  // ---- Recovery (§4.3) ----

  /** §4.3 step 1, and again on the timer (same nonce) until the responses suffice. */
  void sendRecovery() {
    if (replica.status() != Status.RECOVERING) return;
    replica.context.broadcast(new Recovery(replica.index, replica.recovery.nonce()));
    replica.context.setTimer(VrTimer.RECOVERY, replica.options.resendTimeout());
  }

  /** §4.3 step 2: only a replica in normal status answers; only the primary sends its log. */
  void onRecovery(Recovery m) {
    if (replica.status() != Status.NORMAL) {
      replica.drops.count(VrReplica.NOT_NORMAL);
      return;
    }
    RecoveryResponse response =
        replica.isPrimary()
            ? new RecoveryResponse(
                replica.viewNumber(),
                m.nonce(),
                true,
                replica.commitNumber(),
                replica.logToSend(),
                replica.index)
            : new RecoveryResponse(
                replica.viewNumber(), m.nonce(), false, 0, LogSegment.empty(1), replica.index);
    replica.context.sendToReplica(m.replica(), response);
  }

  void onRecoveryResponse(RecoveryResponse m) {
    if (replica.status() != Status.RECOVERING) {
      replica.drops.count(NOT_RECOVERING);
      return;
    }
    if (m.nonce() != replica.recovery.nonce()) {
      replica.drops.count(WRONG_NONCE);
      return;
    }
    replica.recovery.add(m).ifPresent(replica::finishRecovery);
  }

  // ---- Catching up (§5.2) and snapshots (§5.1) ----

  /**
   * NEW-STATE with the log after the op asked for, bounded; if our log no longer reaches back
   * there, from our latest checkpoint on, whose state the requester then fetches.
   */
  void onGetState(GetState m) {
    if (replica.status() != Status.NORMAL || m.view() != replica.viewNumber()) {
      replica.drops.count(VrReplica.STALE_VIEW);
      return;
    }
    VrLog log = replica.log();
    long from = m.opNumber() + 1 < log.start() ? replica.segmentStart() : m.opNumber() + 1;
    from = Math.min(from, log.lastOp() + 1);
    long to = Math.min(log.lastOp(), from + VrReplica.NEW_STATE_ENTRIES_MAX - 1);
    NewState answer =
        new NewState(
            replica.viewNumber(),
            log.lastOp(),
            replica.commitNumber(),
            replica.checkpoints.latestOp(),
            log.segment(from, to),
            replica.index);
    replica.context.sendToReplica(m.replica(), answer);
  }

  void onNewState(NewState m) {
    if (replica.status() != Status.NORMAL || m.view() != replica.viewNumber()) {
      replica.drops.count(VrReplica.STALE_VIEW);
      return;
    }
    if (replica.isPrimary()) {
      replica.drops.count(VrReplica.NOT_FOR_REPLICA); // the primary's log is the view's
      return;
    }
    replica.takeNewState(m);
  }

  /**
   * Catching up (§5.2): the state of a checkpoint if the log lacks ops we did not execute, else the
   * log past our end from the primary (one GET-STATE outstanding; retries rotate).
   */
  void catchUp() {
    if (replica.status() != Status.NORMAL) return;
    VrLog log = replica.log();
    int primary = replica.primary();
    if (replica.executed() < log.start() - 1) {
      int source = replica.isPrimary() ? (replica.index + 1) % replica.config.n() : primary;
      replica.transfer.fetch(log.start() - 1, source);
      return;
    }
    if (replica.isPrimary()) return;
    if (replica.commitHeard() <= log.lastOp() && replica.held.isEmpty()) return;
    replica.transfer.askForLog(replica.viewNumber(), log.lastOp(), primary);
  }

  void onGetSnapshot(GetSnapshot m) {
    Optional<SnapshotChunk> chunk = replica.checkpoints.chunk(m, replica.index);
    if (chunk.isEmpty()) {
      replica.drops.count(SNAPSHOT_UNAVAILABLE);
      return;
    }
    replica.context.sendToReplica(m.replica(), chunk.get());
  }

  void onSnapshotChunk(SnapshotChunk m) {
    if (replica.status() != Status.NORMAL) {
      replica.drops.count(VrReplica.NOT_NORMAL);
      return;
    }
    Optional<StateTransfer.Installable> whole = replica.transfer.onChunk(m);
    if (whole.isEmpty()) return;
    if (whole.get().checkpoint() <= replica.executed()) {
      whole.get().sink().abort(); // caught up from the log meanwhile
      replica.drops.count(StateTransfer.STALE_CHUNK);
      return;
    }
    try {
      replica.installSnapshot(whole.get());
    } catch (MalformedMessage | IllegalArgumentException e) {
      replica.transfer.installFailed(whole.get().checkpoint(), m.replica());
    }
  }

  void onStateTransferTimeout() {
    if (replica.status() != Status.NORMAL) {
      replica.transfer.abandon();
      return;
    }
    if (replica.transfer.fetching()) {
      replica.transfer.onTimeout();
      return;
    }
    replica.transfer.logAnswered(true);
    catchUp();
  }
}
