package oskr.protocol.pbft;

import oskr.core.Bytes;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * The normal case's three phases (TOCS §4.2) in the replica's log: a PRE-PREPARE accepted, our
 * PREPARE authenticated and multicast, 2f+1 matching PREPAREs make the batch prepared, our COMMIT,
 * 2f+1 COMMITs make it committed-local, and the replica executes. The slots are the replica's log;
 * this part moves them through the phases.
 */
final class Agreement {
  private final PbftReplica replica;

  Agreement(PbftReplica replica) {
    this.replica = replica;
  }

  /**
   * A backup accepts a PRE-PREPARE (whose requests it or f vouching PREPAREs authenticated, or from
   * a NEW-VIEW) and sends its PREPARE.
   */
  void acceptPrePrepare(Slot slot, PrePrepare m) {
    slot.acceptPrePrepare(m);
    signPrepare(slot);
    checkPrepared(slot);
  }

  /** Authenticates and multicasts our PREPARE for the slot's PRE-PREPARE, unless one is coming. */
  void signPrepare(Slot slot) {
    if (replica.isPrimary() || slot.prepareSent) return;
    slot.prepareSent = true;
    PrePrepare m = slot.prePrepare();
    Prepare unsigned = new Prepare(m.view(), m.seq(), m.digest(), replica.index, Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        signed -> {
          if (signed.view() != replica.view() || !replica.inWatermarks(signed.seq())) return;
          sendPrepare(replica.slot(signed.seq()), signed);
        });
  }

  /** Records and multicasts our authenticated PREPARE, if its slot still holds its batch. */
  void sendPrepare(Slot slot, Prepare signed) {
    if (slot.view() != signed.view() || slot.prePrepare() == null) return;
    if (!slot.prePrepare().digest().equals(signed.digest()) || !slot.addPrepare(signed)) return;
    replica.context.broadcast(signed);
    checkPrepared(slot);
  }

  /** The primary's PRE-PREPARE, authenticated: into the log, and to the backups. */
  void onOwnPrePrepareSigned(PrePrepare m) {
    // A view change meanwhile: the new primary fills the gap with a null request.
    if (m.view() != replica.view() || !replica.isNormal() || !replica.inWatermarks(m.seq())) return;
    Slot slot = replica.slot(m.seq());
    slot.advanceTo(replica.view());
    assert slot.prePrepare() == null : "two batches for one sequence number";
    slot.acceptPrePrepare(m);
    replica.context.broadcast(m);
    checkPrepared(slot);
  }

  /**
   * The primary replaces its {@code rejected} PRE-PREPARE by the null request {@code signed}
   * ({@link Requests#onReject}), unless the view moved on or the batch prepared meanwhile.
   */
  boolean replaceOwnPrePrepare(PrePrepare rejected, PrePrepare signed) {
    long seq = rejected.seq();
    if (signed.view() != replica.view() || !replica.isNormal() || !replica.inWatermarks(seq))
      return false;
    Slot slot = replica.slot(seq);
    if (slot.view() != rejected.view()
        || slot.prePrepare() != rejected
        || slot.isPrepared(replica.f)) {
      return false;
    }
    slot.replacePrePrepare(signed);
    replica.context.broadcast(signed);
    return true;
  }

  /** Adds a PREPARE to its slot; returns the slot, or null if dropped (counted). */
  Slot addPrepare(Prepare m) {
    if (!replica.acceptsAgreement(m.view(), m.seq(), m.replica())) return null;
    Slot slot = replica.slot(m.seq());
    slot.advanceTo(replica.view());
    if (!slot.addPrepare(m)) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return null;
    }
    return slot;
  }

  void checkPrepared(Slot slot) {
    if (slot.commitSent || !slot.isPrepared(replica.f)) return;
    assert slot.view() == replica.view() : "prepared in another replica.view()";
    assert replica.isNormal() : "prepared during a replica.view() change";
    slot.recordPrepared(replica.f, !replica.macs());
    slot.commitSent = true;
    PrePrepare m = slot.prePrepare();
    Commit unsigned = new Commit(m.view(), m.seq(), m.digest(), replica.index, Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        signed -> {
          if (signed.view() != replica.view() || !replica.inWatermarks(signed.seq())) return;
          Slot current = replica.slot(signed.seq());
          if (current.view() != signed.view() || !current.addCommit(signed)) return;
          replica.context.broadcast(signed);
          checkCommitted(current);
        });
  }

  void onCommit(Commit m) {
    if (!replica.acceptsAgreement(m.view(), m.seq(), m.replica())) return;
    Slot slot = replica.slot(m.seq());
    slot.advanceTo(replica.view());
    if (!slot.addCommit(m)) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return;
    }
    checkCommitted(slot);
  }

  private void checkCommitted(Slot slot) {
    if (slot.isCommitted() || !slot.isCommittedLocal(replica.f)) return;
    slot.recordCommitted(replica.f, !replica.macs());
    replica.executeCommitted();
  }
}
