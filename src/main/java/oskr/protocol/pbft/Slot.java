package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * Everything a replica knows about one sequence number: the agreement state of the slot's current
 * view (PRE-PREPARE, PREPAREs and COMMITs by replica, which may arrive in any order), the prepared
 * certificate of the highest view (kept across view changes for VIEW-CHANGE messages) and, once
 * committed, the committed certificate (for state transfer) and the batch to execute.
 */
final class Slot {
  final long seq;
  private long view;
  private PrePrepare prePrepare;
  private final Prepare[] prepares;
  private final Commit[] commits;
  boolean prepareSent;
  boolean commitSent;
  private PrePrepare held;
  private Hold hold;
  private PreparedProof preparedCertificate;
  private CommittedProof committedCertificate;

  /**
   * The Q set's entries for this slot (TOCS §5.2): each digest pre-prepared here with the latest
   * view it was pre-prepared in, oldest view first, at most {@link
   * ViewChange#PRE_PREPARED_PER_SEQ_MAX}. Only the newest views matter: once a batch commits in
   * view v, correct replicas pre-prepare nothing else here in later views, so it is never the one
   * dropped.
   */
  private final List<PrePrepared> prePrepared = new ArrayList<>(1);

  /** What a backup knows of a PRE-PREPARE it holds but has not accepted ({@link PrePrepares}). */
  enum Hold {
    /** A worker authenticates its requests. */
    CHECKING,
    /** We could not authenticate them: waiting for f vouching PREPAREs. */
    UNVERIFIED,
    /** As UNVERIFIED, rejected at the next vouch timeout. */
    REJECT_DUE,
    /** We sent REJECT: we never accept it; only the null request may replace it. */
    REJECTED
  }

  Slot(long seq, int n) {
    this.seq = seq;
    this.prepares = new Prepare[n];
    this.commits = new Commit[n];
  }

  long view() {
    return view;
  }

  /** Moves the current-view state to {@code newView}, forgetting messages of older views. */
  void advanceTo(long newView) {
    if (newView <= view) return;
    view = newView;
    prePrepare = null;
    held = null;
    hold = null;
    java.util.Arrays.fill(prepares, null);
    java.util.Arrays.fill(commits, null);
    prepareSent = false;
    commitSent = false;
  }

  PrePrepare prePrepare() {
    return prePrepare;
  }

  void acceptPrePrepare(PrePrepare message) {
    assert message.view() == view : "pre-prepare for another view";
    assert prePrepare == null : "a second pre-prepare for (v, n)";
    assert held == null : "accepts a pre-prepare while holding one";
    prePrepare = message;
    notePrePrepared(message.digest(), message.view());
  }

  /**
   * The primary replaces its PRE-PREPARE, which 2f+1 backups rejected and so can never prepare,
   * with the null request ({@link Requests#onReject}).
   */
  void replacePrePrepare(PrePrepare message) {
    assert message.view() == view : "pre-prepare for another view";
    assert prePrepare != null : "nothing to replace";
    assert !commitSent : "replaces a prepared batch";
    prePrepare = message;
    notePrePrepared(message.digest(), message.view());
  }

  /** A backup holds {@code message} (it accepted no PRE-PREPARE here yet) while it checks it. */
  void hold(PrePrepare message) {
    assert message.view() == view : "pre-prepare for another view";
    assert prePrepare == null : "holds a pre-prepare after accepting one";
    held = message;
    hold = Hold.CHECKING;
  }

  PrePrepare held() {
    return held;
  }

  Hold hold() {
    return hold;
  }

  void setHold(Hold state) {
    assert held != null : "no pre-prepare held";
    hold = state;
  }

  /** Stops holding the PRE-PREPARE, to accept it; never one we rejected. */
  PrePrepare releaseHeld() {
    assert held != null : "no pre-prepare held";
    assert hold != Hold.REJECTED : "accepts a pre-prepare it rejected";
    PrePrepare message = held;
    held = null;
    hold = null;
    return message;
  }

  /** PREPAREs for {@code digest} in this view, from replicas other than {@code excluded}. */
  int prepareCount(Digest digest, int excluded) {
    int count = 0;
    for (Prepare prepare : prepares) {
      if (prepare != null && prepare.replica() != excluded && prepare.digest().equals(digest)) {
        count++;
      }
    }
    return count;
  }

  private void notePrePrepared(Digest digest, long inView) {
    prePrepared.removeIf(entry -> entry.digest().equals(digest));
    prePrepared.add(new PrePrepared(seq, digest, inView));
    if (prePrepared.size() > ViewChange.PRE_PREPARED_PER_SEQ_MAX) prePrepared.remove(0);
  }

  /** This slot's Q entries, oldest view first. */
  List<PrePrepared> prePrepared() {
    return prePrepared;
  }

  /**
   * @return false for a duplicate from the same replica
   */
  boolean addPrepare(Prepare message) {
    assert message.view() == view : "prepare for another view";
    if (prepares[message.replica()] != null) return false;
    prepares[message.replica()] = message;
    return true;
  }

  /**
   * @return false for a duplicate from the same replica
   */
  boolean addCommit(Commit message) {
    assert message.view() == view : "commit for another view";
    if (commits[message.replica()] != null) return false;
    commits[message.replica()] = message;
    return true;
  }

  /** The PREPARE of {@code replica} in this slot's view, or null. */
  Prepare prepareOf(int replica) {
    return prepares[replica];
  }

  /** The COMMIT of {@code replica} in this slot's view, or null. */
  Commit commitOf(int replica) {
    return commits[replica];
  }

  /** TOCS §4.2 prepared(m, v, n, i): the PRE-PREPARE and 2f matching PREPAREs of backups. */
  boolean isPrepared(int f) {
    return prePrepare != null && matchingPrepares().size() >= 2 * f;
  }

  /** TOCS §4.2 committed-local(m, v, n, i): prepared and 2f+1 matching COMMITs. */
  boolean isCommittedLocal(int f) {
    return isPrepared(f) && matchingCommits().size() >= 2 * f + 1;
  }

  private List<Prepare> matchingPrepares() {
    List<Prepare> matching = new ArrayList<>();
    for (Prepare prepare : prepares) {
      if (prepare != null && prepare.digest().equals(prePrepare.digest())) matching.add(prepare);
    }
    return matching;
  }

  private List<Commit> matchingCommits() {
    List<Commit> matching = new ArrayList<>();
    for (Commit commit : commits) {
      if (commit != null && commit.digest().equals(prePrepare.digest())) matching.add(commit);
    }
    return matching;
  }

  /**
   * Records the P entry of this view; call when {@link #isPrepared} turns true. MAC'd PREPAREs
   * ({@code transferable} false) convince nobody else: the entry is then a claim, the PRE-PREPARE
   * without its authenticator.
   */
  void recordPrepared(int f, boolean transferable) {
    assert isPrepared(f) : "not prepared";
    assert preparedCertificate == null || preparedCertificate.view() <= view : "view went back";
    preparedCertificate =
        transferable
            ? new PreparedProof(prePrepare, matchingPrepares().subList(0, 2 * f))
            : new PreparedProof(prePrepare.withAuth(oskr.core.Bytes.EMPTY), List.of());
  }

  PreparedProof preparedCertificate() {
    return preparedCertificate;
  }

  /**
   * Records the committed certificate; call when {@link #isCommittedLocal} turns true. MAC'd
   * COMMITs ({@code transferable} false) convince nobody else, so the certificate keeps none.
   */
  void recordCommitted(int f, boolean transferable) {
    assert isCommittedLocal(f) : "not committed";
    List<Commit> commits = transferable ? matchingCommits().subList(0, 2 * f + 1) : List.of();
    committedCertificate = new CommittedProof(prePrepare, commits);
  }

  /** Installs a batch committed elsewhere (state transfer), verified by {@link Pbft#verify}. */
  void installCommitted(CommittedProof proof) {
    assert proof.prePrepare().seq() == seq : "proof for another slot";
    assert committedCertificate == null
            || committedCertificate.prePrepare().digest().equals(proof.prePrepare().digest())
        : "two batches committed at one sequence number";
    if (committedCertificate == null) committedCertificate = proof;
  }

  boolean isCommitted() {
    return committedCertificate != null;
  }

  CommittedProof committedCertificate() {
    return committedCertificate;
  }

  Digest committedDigest() {
    return committedCertificate.prePrepare().digest();
  }
}
