package oskr.protocol.pbft;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * Catching up from the log: a replica whose execution stalls (COMMITs lost) or that installed a
 * checkpoint's state fetches the committed batches above what it executed (FETCH-LOG), each with
 * the proof that it committed: with signatures a committed certificate (PRE-PREPARE and 2f+1
 * COMMITs, TOCS §4.2), with MACs a claim of each replica that answers, accepted once f+1 agree.
 *
 * <p>Deviation: TOCS §4.3 discards every batch at and below the stable checkpoint, so a replica a
 * few batches behind must transfer the whole state. Here a replica keeps the committed batches of
 * one checkpoint interval K below its stable checkpoint and serves them too: a replica at most K
 * batches behind a stable checkpoint catches up from the log, executing them below its own low
 * watermark, and only one further behind (or whose catch-up stalls) transfers the state.
 */
final class LogTransfer {
  static final String STALE_COMMITTED = "committed proof already executed";
  static final String CLAIM_COUNTED = "commit claim counted, awaiting f+1";

  private final PbftReplica replica;

  /** With HMAC: per sequence number, the digest each replica claimed committed (bounded by L). */
  private final TreeMap<Long, Digest[]> claims = new TreeMap<>();

  /** The committed batches in (stable - K, stable], to serve others and to catch up ourselves. */
  private final TreeMap<Long, CommittedProof> belowStable = new TreeMap<>();

  private int attempts;
  private boolean progressTimerArmed;
  private long executedWhenArmed;

  /** Progress timeouts in a row without execution while behind the stable checkpoint. */
  private int stalls;

  /** After this many stalls a replica behind its stable checkpoint transfers the state. */
  static final int STALLS_BEFORE_STATE_TRANSFER = 3;

  LogTransfer(PbftReplica replica) {
    this.replica = replica;
  }

  /**
   * After every event: while batches wait above the last executed one, a timer checks that
   * execution moves; if it does not (COMMITs lost), we fetch the committed batches we lack.
   */
  void watchProgress() {
    if (progressTimerArmed || replica.stateTransfer.inProgress()) return;
    boolean behindStable = replica.checkpoints.stableSeq() > replica.lastExecuted();
    boolean waiting = replica.hasSlotAbove(replica.lastExecuted());
    if (!behindStable && !waiting) return;
    progressTimerArmed = true;
    executedWhenArmed = replica.lastExecuted();
    replica.context.setTimer(PbftTimer.PROGRESS, replica.options.resendTimeout());
  }

  /**
   * @return true if the replica should fetch the stable checkpoint's state: the log we need is gone
   *     (the others moved on) or never comes
   */
  boolean onProgressTimeout() {
    progressTimerArmed = false;
    if (replica.stateTransfer.inProgress()) return false;
    if (replica.lastExecuted() != executedWhenArmed) {
      stalls = 0;
      return false;
    }
    attempts++;
    if (replica.checkpoints.stableSeq() > replica.lastExecuted()
        && ++stalls >= STALLS_BEFORE_STATE_TRANSFER) {
      stalls = 0;
      return true;
    }
    askForLog();
    return false;
  }

  /**
   * A checkpoint became stable: keep the committed batches of the interval at and below it (with
   * MACs their PRE-PREPAREs; claims are made afresh when served), forget older ones.
   */
  void retain(Collection<Slot> freed, long stableSeq) {
    long oldest = stableSeq - replica.settings.checkpointInterval();
    for (Slot slot : freed) {
      if (slot.seq > oldest && slot.isCommitted()) {
        belowStable.put(slot.seq, slot.committedCertificate());
      }
    }
    belowStable.headMap(oldest, true).clear();
    claims.headMap(oldest, true).clear();
    assert belowStable.size() <= replica.settings.checkpointInterval() : "kept more than K";
  }

  /** The batch committed at {@code seq} at or below the stable checkpoint, or null. */
  CommittedProof committedBelowStable(long seq) {
    return belowStable.get(seq);
  }

  /** Whether {@code seq} is a batch we can still take from the log below our stable checkpoint. */
  private boolean belowStableWindow(long seq) {
    long stable = replica.checkpoints.stableSeq();
    return seq <= stable && seq > stable - replica.settings.checkpointInterval();
  }

  /** Asks a replica (with MACs all, for f+1 claims) for the committed batches we lack. */
  void askForLog() {
    if (replica.config.n() == 1) return; // nobody to ask
    FetchLog fetch = new FetchLog(replica.lastExecuted(), replica.index);
    if (replica.macs()) {
      replica.context.broadcast(fetch);
      return;
    }
    int source = Math.floorMod(replica.index + 1 + attempts, replica.config.n());
    if (source == replica.index) source = Math.floorMod(source + 1, replica.config.n());
    replica.context.sendToReplica(source, fetch);
  }

  /**
   * Serves the committed batches above {@code afterSeq} that we hold: with signatures their
   * committed certificates; with HMAC each with a COMMIT of ours, MAC'd for the asker, as a claim.
   * It also retransmits our PREPAREs and COMMITs of the current view, which the asker may have lost
   * (the paper leaves retransmission to the implementation): with MACs a batch that committed at
   * one correct replica only has no f+1 claims, and the others commit it only once they get the
   * PREPAREs and COMMITs they missed.
   */
  void onFetchLog(FetchLog m) {
    if (!replica.fetchBudget.takeLog(m.replica())) return;
    for (CommittedProof proof : belowStable.tailMap(m.afterSeq(), false).values()) {
      if (replica.macs()) {
        sendClaim(proof.prePrepare(), m.replica());
      } else {
        replica.context.sendToReplica(m.replica(), proof);
      }
    }
    for (Slot slot : replica.slotsAbove(m.afterSeq())) {
      if (slot.isCommitted() && !replica.macs()) {
        replica.context.sendToReplica(m.replica(), slot.committedCertificate());
        continue;
      }
      if (slot.isCommitted()) sendClaim(slot.committedCertificate().prePrepare(), m.replica());
      if (slot.view() != replica.view()) continue;
      Prepare prepare = slot.prepareOf(replica.index);
      if (prepare != null) replica.context.sendToReplica(m.replica(), prepare);
      Commit commit = slot.commitOf(replica.index);
      if (commit != null && !slot.isCommitted()) replica.context.sendToReplica(m.replica(), commit);
    }
  }

  /** With HMAC: our claim that {@code prePrepare} committed, a COMMIT of ours MAC'd anew. */
  private void sendClaim(PrePrepare prePrepare, int to) {
    Commit unsigned =
        new Commit(
            prePrepare.view(), prePrepare.seq(), prePrepare.digest(), replica.index, Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        claim -> replica.context.sendToReplica(to, new CommittedProof(prePrepare, List.of(claim))));
  }

  void onCommittedProof(CommittedProof m) {
    long seq = m.prePrepare().seq();
    if (seq <= replica.lastExecuted()) {
      replica.drops.count(STALE_COMMITTED);
      return;
    }
    boolean below = belowStableWindow(seq);
    if (!below && !replica.inWatermarks(seq)) {
      replica.drops.count(PbftReplica.OUTSIDE_WATERMARKS);
      return;
    }
    if (replica.macs()) {
      if (!below) {
        // A claim is its sender's COMMIT: it counts towards committed-local like any COMMIT.
        replica.agreement.onCommit(m.commits().get(0));
        Slot slot = replica.existingSlot(seq);
        if (slot != null && slot.isCommitted()) return;
      }
      if (!enoughClaims(m)) return;
    }
    if (below) {
      CommittedProof kept = belowStable.putIfAbsent(seq, m);
      assert kept == null || kept.prePrepare().digest().equals(m.prePrepare().digest())
          : "two batches committed at one sequence number";
    } else {
      replica.installCommitted(m);
    }
    replica.executeCommitted();
  }

  /**
   * With HMAC: whether f+1 replicas (so at least one correct) claimed this batch committed at its
   * sequence number. Claims are kept per sequence number in the window above what we executed.
   */
  private boolean enoughClaims(CommittedProof m) {
    long seq = m.prePrepare().seq();
    claims.headMap(replica.lastExecuted(), true).clear();
    assert claims.size()
            <= replica.settings.watermarkWindow() + replica.settings.checkpointInterval()
        : "claims unbounded";
    Commit claim = m.commits().get(0);
    Digest[] bySender = claims.computeIfAbsent(seq, s -> new Digest[replica.config.n()]);
    bySender[claim.replica()] = m.prePrepare().digest();
    int matching = 0;
    for (Digest digest : bySender) if (m.prePrepare().digest().equals(digest)) matching++;
    if (matching < replica.f + 1) {
      replica.drops.count(CLAIM_COUNTED);
      return false;
    }
    claims.remove(seq);
    return true;
  }
}
