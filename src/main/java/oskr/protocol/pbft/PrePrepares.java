package oskr.protocol.pbft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * A backup's side of PRE-PREPARE in the normal case (TOCS §4.2): the PRE-PREPAREs it must keep for
 * later, and the check of the requests a PRE-PREPARE orders before the backup accepts it.
 *
 * <p>A backup holds a PRE-PREPARE until a worker has authenticated every request of its batch (the
 * job also makes its PREPARE), and accepts it then. A request it cannot authenticate may be the
 * client's doing (an authenticator whose entries only the primary can check) as well as a faulty
 * primary's (a forged request), and the backup cannot tell which. So, as Castro's BFT library does
 * (its {@code Prepared_cert::add}), it also accepts the PRE-PREPARE once f PREPAREs of other
 * backups vouch for it: with the primary, f+1 replicas accepted its requests, one of them correct.
 * If no f PREPAREs come within {@link #vouchWait} (nobody else could authenticate them either), it
 * sends the primary a {@link Reject} and never accepts that PRE-PREPARE; a correct primary with
 * 2f+1 REJECTs re-proposes the sequence number with the null request ({@link Requests#onReject}).
 */
final class PrePrepares {
  static final String UNVERIFIED_REQUESTS = "pre-prepare with requests we cannot authenticate";
  static final String REJECTED_PRE_PREPARE = "pre-prepare we rejected";

  private final PbftReplica replica;

  /** PRE-PREPAREs for a view whose NEW-VIEW has not arrived yet (at most L). */
  private final List<PrePrepare> early = new ArrayList<>();

  /**
   * PRE-PREPAREs of the current view above our high watermark, at most L above it (at most L of
   * them): the primary's checkpoint became stable before ours. Handled when ours does.
   */
  private final List<PrePrepare> aboveWindow = new ArrayList<>();

  private boolean vouchTimerArmed;

  PrePrepares(PbftReplica replica) {
    this.replica = replica;
  }

  /**
   * How long a backup waits for f vouching PREPAREs before it rejects a PRE-PREPARE it cannot check
   * (between one and two of these): well below the view-change timeout, so that the primary
   * re-proposes before backups waiting for a request suspect it.
   */
  Duration vouchWait() {
    return replica.settings.viewChangeTimeout().dividedBy(8);
  }

  void onPrePrepare(PrePrepare m) {
    long view = replica.view();
    boolean beforeNewView = (m.view() == view && !replica.isNormal()) || m.view() == view + 1;
    if (beforeNewView) {
      bufferEarly(m);
      return;
    }
    if (m.view() == view && isAboveWindow(m.seq())) {
      bufferAboveWindow(m);
      return;
    }
    if (!replica.acceptsAgreement(m.view(), m.seq(), (int) (m.view() % replica.config.n()))) {
      return;
    }
    if (replica.isPrimary()) {
      replica.drops.count(PbftReplica.OWN_PRE_PREPARE); // our own, replayed to us
      return;
    }
    Slot slot = replica.slot(m.seq());
    slot.advanceTo(view);
    if (!isNew(slot, m)) return;
    assert m.view() == slot.view() : "pre-prepare for another view";
    assert replica.isNormal() : "pre-prepare accepted during a view change";
    check(slot, m);
  }

  /**
   * Whether {@code m} is the first PRE-PREPARE for its (v, n), or the null request with which the
   * primary replaces one we rejected; counts why not.
   */
  private boolean isNew(Slot slot, PrePrepare m) {
    PrePrepare known = slot.prePrepare() != null ? slot.prePrepare() : slot.held();
    if (known == null) return true;
    if (known.digest().equals(m.digest())) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return false;
    }
    if (slot.hold() == Slot.Hold.REJECTED && m.batch().isEmpty()) return true;
    replica.drops.count(PbftReplica.CONFLICTING_PRE_PREPARE);
    return false;
  }

  /**
   * Holds {@code m} while a worker authenticates its requests and, if they all pass, authenticates
   * our PREPARE, so that the normal case still takes one job per PRE-PREPARE.
   */
  private void check(Slot slot, PrePrepare m) {
    // PBFT §4.2: a backup accepts a PRE-PREPARE only if the requests it orders are authentic
    // (with MACs, §5, each replica checks its own entry of a request's authenticator).
    slot.hold(m);
    slot.prepareSent = true; // the check makes our PREPARE, unless it fails
    int n = replica.config.n();
    Prepare unsigned = new Prepare(m.view(), m.seq(), m.digest(), replica.index, Bytes.EMPTY);
    replica.submit(
        crypto ->
            Auth.verifyRequests(crypto, m.batch(), n)
                ? unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned))
                : unsigned,
        this::onChecked);
  }

  /**
   * Our check of a PRE-PREPARE's requests: {@code result} is our PREPARE, unsigned if it failed.
   */
  private void onChecked(Prepare result) {
    if (result.view() != replica.view() || !replica.inWatermarks(result.seq())) return;
    Slot slot = replica.slot(result.seq());
    if (slot.view() != result.view()) return;
    boolean verified = result.auth().length() > 0;
    if (!verified) replica.drops.count(UNVERIFIED_REQUESTS);
    PrePrepare accepted = slot.prePrepare();
    if (accepted != null) { // f PREPAREs vouched for it meanwhile
      if (!accepted.digest().equals(result.digest())) return;
      if (verified) {
        replica.agreement.sendPrepare(slot, result);
      } else {
        slot.prepareSent = false;
        replica.agreement.signPrepare(slot);
      }
      return;
    }
    PrePrepare held = slot.held();
    if (held == null || !held.digest().equals(result.digest())) return;
    if (slot.hold() != Slot.Hold.CHECKING) return;
    if (verified) {
      slot.acceptPrePrepare(slot.releaseHeld());
      replica.agreement.sendPrepare(slot, result);
      replica.agreement.checkPrepared(slot);
      return;
    }
    slot.prepareSent = false;
    slot.setHold(Slot.Hold.UNVERIFIED);
    if (!acceptIfVouched(slot)) armVouchTimer();
  }

  /** A PREPARE arrived for {@code slot}: it may vouch for the PRE-PREPARE we hold. */
  void onPrepareAdded(Slot slot) {
    if (slot.held() != null) acceptIfVouched(slot);
  }

  /**
   * Castro's BFT library, {@code Prepared_cert::add}: f PREPAREs of other backups matching a
   * PRE-PREPARE we hold make f+1 replicas with the primary that accepted its requests, at least one
   * of them correct, so we accept it though we could not (yet) authenticate them ourselves.
   */
  private boolean acceptIfVouched(Slot slot) {
    // PBFT (Castro's BFT library, Prepared_cert::add): f matching PREPAREs vouch for the requests.
    if (slot.hold() == Slot.Hold.REJECTED) return false; // we promised never to PREPARE it
    if (slot.prepareCount(slot.held().digest(), replica.index) < replica.f) return false;
    assert slot.prePrepare() == null : "held and accepted at once";
    replica.agreement.acceptPrePrepare(
        slot, slot.releaseHeld()); // our PREPARE: the check's, or a new one
    return true;
  }

  private void armVouchTimer() {
    if (vouchTimerArmed) return;
    replica.context.setTimer(PbftTimer.VOUCH, vouchWait());
    vouchTimerArmed = true;
  }

  /**
   * Every PRE-PREPARE still unverified and without f vouching PREPAREs for a whole wait is
   * rejected; one that became unverified during the last wait gets another.
   */
  void onVouchTimeout() {
    vouchTimerArmed = false;
    if (!replica.isNormal()) return;
    boolean waiting = false;
    for (Slot slot : replica.slots()) {
      if (slot.view() != replica.view() || slot.held() == null) continue;
      switch (slot.hold()) {
        case UNVERIFIED -> {
          slot.setHold(Slot.Hold.REJECT_DUE);
          waiting = true;
        }
        case REJECT_DUE -> reject(slot);
        case CHECKING, REJECTED -> {}
      }
    }
    if (waiting) armVouchTimer();
  }

  /** Sends the primary our REJECT: from now on we never accept this PRE-PREPARE. */
  private void reject(Slot slot) {
    // Deviation: PBFT has no REJECT (see package-info); the promise makes the primary's null
    // request safe once 2f+1 backups made it.
    PrePrepare held = slot.held();
    slot.setHold(Slot.Hold.REJECTED);
    long view = held.view();
    long seq = held.seq();
    Digest digest = held.digest();
    int n = replica.config.n();
    int self = replica.index;
    replica.submit(
        crypto -> {
          List<Integer> unverified = Auth.unverifiedRequests(crypto, held.batch(), n);
          Reject unsigned = new Reject(view, seq, digest, unverified, self, Bytes.EMPTY);
          return unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned));
        },
        signed -> {
          if (signed.view() != replica.view() || !replica.isNormal()) return;
          replica.context.sendToReplica(replica.primary(), signed);
        });
  }

  // ---- PRE-PREPAREs kept for later ----

  /**
   * A PRE-PREPARE that overtook the NEW-VIEW of its view: kept (bounded, only for the next view)
   * and handled once the NEW-VIEW installed its re-proposals, so it cannot displace them.
   */
  private void bufferEarly(PrePrepare m) {
    if (early.size() >= replica.settings.watermarkWindow()) {
      replica.drops.count(PbftReplica.EARLY_BUFFER_FULL);
      return;
    }
    early.add(m);
  }

  /** After entering a view: handle the PRE-PREPAREs for it that came early, forget older ones. */
  void replayEarly() {
    List<PrePrepare> buffered = new ArrayList<>(early);
    early.clear();
    for (PrePrepare m : buffered) {
      if (m.view() == replica.view()) {
        onPrePrepare(m);
      } else if (m.view() > replica.view()) {
        early.add(m);
      } else {
        replica.drops.count(PbftReplica.WRONG_VIEW);
      }
    }
  }

  /**
   * Whether {@code seq} lies in the window above ours, where a primary whose checkpoint became
   * stable first may already assign sequence numbers.
   */
  private boolean isAboveWindow(long seq) {
    long high = replica.watermarkLow() + replica.settings.watermarkWindow();
    return seq > high && seq <= high + replica.settings.watermarkWindow();
  }

  /**
   * Keeps a PRE-PREPARE above our high watermark instead of dropping it (TOCS §4.3 drops messages
   * outside the watermarks). Deviation: under load the primary's checkpoint becomes stable before
   * the backups' and it moves its window first; without retransmission (the paper's status
   * messages) a sequence number whose PRE-PREPARE every backup dropped would never commit, and the
   * backups would blame a correct primary with a view change.
   */
  private void bufferAboveWindow(PrePrepare m) {
    if (aboveWindow.size() >= replica.settings.watermarkWindow()) {
      replica.drops.count(PbftReplica.ABOVE_WINDOW_BUFFER_FULL);
      return;
    }
    aboveWindow.add(m);
  }

  /** Our low watermark moved: handle the kept PRE-PREPAREs that are now inside the window. */
  void replayAboveWindow() {
    if (aboveWindow.isEmpty()) return;
    List<PrePrepare> buffered = new ArrayList<>(aboveWindow);
    aboveWindow.clear();
    for (PrePrepare m : buffered) {
      if (m.view() == replica.view() && replica.isNormal()) {
        onPrePrepare(m); // keeps it again if it is still above the window
      } else {
        replica.drops.count(PbftReplica.WRONG_VIEW);
      }
    }
  }

  boolean boundsHold() {
    assert early.size() <= replica.settings.watermarkWindow() : "early pre-prepares unbounded";
    assert aboveWindow.size() <= replica.settings.watermarkWindow()
        : "pre-prepares above unbounded";
    return true;
  }
}
