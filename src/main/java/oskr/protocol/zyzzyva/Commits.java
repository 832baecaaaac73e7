package oskr.protocol.zyzzyva;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.Drops;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Signature;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/**
 * Commit points: the VOTEs that make commit certificates and the CHECKPOINTs that make a checkpoint
 * stable, tallied above the stable checkpoint and within the window; the stable checkpoint's proof
 * and state. Returns what it found (a certificate, a stable proof); the replica applies it.
 *
 * <p>Per-sender bounds: a replica has at most one VOTE per sequence number tallied (its highest
 * view's: a correct replica votes again at one sequence number only in a later view) and at most
 * one CHECKPOINT per sequence number (its first: a correct replica sends one), both within {@code
 * 2L} sequence numbers above the stable checkpoint. So each sender owns at most {@code 2L} entries
 * of each tally whatever views and digests it makes up: a faulty replica can neither grow a
 * replica's memory nor push a correct sender's vote out. What these rules refuse is counted.
 *
 * <p>A replica left more than the window behind (down for a while, or cut off) learns it from the
 * CHECKPOINTs above its window: of those it keeps each sender's latest only, and 2f+1 matching make
 * a stable proof it fetches the state of. Without this it would drop every CHECKPOINT of the
 * others, whose histories below their stable checkpoint are pruned, and never catch up.
 */
final class Commits {
  private record VoteKey(long view, long seq, Digest historyDigest) implements Comparable<VoteKey> {
    @Override
    public int compareTo(VoteKey other) {
      if (seq != other.seq) return Long.compare(seq, other.seq);
      if (view != other.view) return Long.compare(view, other.view);
      return historyDigest.hex().compareTo(other.historyDigest.hex());
    }
  }

  private record CheckpointKey(long seq, Digest historyDigest, Digest stateDigest)
      implements Comparable<CheckpointKey> {
    @Override
    public int compareTo(CheckpointKey other) {
      if (seq != other.seq) return Long.compare(seq, other.seq);
      int byHistory = historyDigest.hex().compareTo(other.historyDigest.hex());
      return byHistory != 0 ? byHistory : stateDigest.hex().compareTo(other.stateDigest.hex());
    }
  }

  /** Our own state at a commit point: its bytes and, once digested, its digest. */
  record OwnState(long seq, Digest historyDigest, Bytes state, Digest stateDigest) {}

  private final int n;
  private final int quorum;
  private final long window;
  private final TreeMap<VoteKey, Bytes[]> votes = new TreeMap<>();
  private final TreeMap<CheckpointKey, Bytes[]> checkpoints = new TreeMap<>();
  private final TreeMap<Long, OwnState> ownStates = new TreeMap<>();

  /** Per sender: the statement of its tallied VOTE at each sequence number. */
  private final List<TreeMap<Long, VoteKey>> votedAt = new ArrayList<>();

  /** Per sender: the sequence numbers of its tallied CHECKPOINTs. */
  private final List<TreeMap<Long, CheckpointKey>> checkpointedAt = new ArrayList<>();

  /** Per sender: its latest CHECKPOINT above the tally window (see the class). */
  private final Checkpoint[] ahead;

  private final Drops drops;
  private CheckpointProof stable = CheckpointProof.INITIAL;
  private Bytes stableState = Bytes.EMPTY;

  static final String VOTE_SUPERSEDED = "VOTE not above the sender's view at its sequence number";
  static final String CHECKPOINT_REPEATED = "second CHECKPOINT of a sender at a sequence number";
  static final String OUTSIDE_TALLY_WINDOW = "VOTE or CHECKPOINT outside the tally window";

  Commits(int n, int f, long window, Drops drops) {
    this.drops = drops;
    for (int replica = 0; replica < n; replica++) {
      votedAt.add(new TreeMap<>());
      checkpointedAt.add(new TreeMap<>());
    }
    this.n = n;
    this.ahead = new Checkpoint[n];
    this.quorum = 2 * f + 1;
    this.window = window;
  }

  CheckpointProof stable() {
    return stable;
  }

  /** The state bytes of the stable checkpoint (empty for the initial state). */
  Bytes stableState() {
    return stableState;
  }

  private boolean inWindow(long seq) {
    return seq > stable.seq() && seq <= stable.seq() + 2 * window;
  }

  /** Tallies a VOTE; the certificate when this one completed 2f+1 matching, else empty. */
  Optional<CommitCert> addVote(Vote vote) {
    if (!inWindow(vote.seq())) {
      drops.count(OUTSIDE_TALLY_WINDOW);
      return Optional.empty();
    }
    VoteKey key = new VoteKey(vote.view(), vote.seq(), vote.historyDigest());
    VoteKey previous = votedAt.get(vote.replica()).get(vote.seq());
    if (previous != null) {
      if (previous.view() >= vote.view()) {
        if (!previous.equals(key)) drops.count(VOTE_SUPERSEDED);
        return Optional.empty();
      }
      withdraw(previous, vote.replica());
    }
    votedAt.get(vote.replica()).put(vote.seq(), key);
    Bytes[] signatures = votes.computeIfAbsent(key, k -> new Bytes[n]);
    signatures[vote.replica()] = vote.auth();
    if (count(signatures) != quorum) return Optional.empty();
    return Optional.of(
        new CommitCert(key.view(), key.seq(), key.historyDigest(), signaturesOf(signatures)));
  }

  /** Takes back {@code replica}'s vote for {@code key}, freeing the tally once nobody is in it. */
  private void withdraw(VoteKey key, int replica) {
    Bytes[] signatures = votes.get(key);
    if (signatures == null) return;
    signatures[replica] = null;
    if (count(signatures) == 0) votes.remove(key);
  }

  /** How many tally entries {@code replica} owns (tests check the per-sender bound). */
  int entriesOf(int replica) {
    return votedAt.get(replica).size() + checkpointedAt.get(replica).size();
  }

  /** How many statements are tallied (tests check that a faulty sender cannot grow this). */
  int tallies() {
    return votes.size() + checkpoints.size();
  }

  /** A complete certificate of votes at {@code seq} for {@code digest}, if tallied. */
  Optional<CommitCert> certificateAt(long seq, Digest digest) {
    for (var entry :
        votes
            .subMap(
                new VoteKey(0, seq, Digest.ZERO),
                true,
                new VoteKey(Long.MAX_VALUE, seq, Digest.ZERO),
                true)
            .entrySet()) {
      VoteKey key = entry.getKey();
      if (key.historyDigest().equals(digest) && count(entry.getValue()) >= quorum) {
        return Optional.of(new CommitCert(key.view(), seq, digest, signaturesOf(entry.getValue())));
      }
    }
    return Optional.empty();
  }

  /** Tallies a CHECKPOINT; the proof when this one made 2f+1 matching, else empty. */
  Optional<CheckpointProof> addCheckpoint(Checkpoint checkpoint) {
    if (checkpoint.seq() > stable.seq() + 2 * window) return addAhead(checkpoint);
    if (!inWindow(checkpoint.seq())) {
      drops.count(OUTSIDE_TALLY_WINDOW);
      return Optional.empty();
    }
    CheckpointKey key =
        new CheckpointKey(checkpoint.seq(), checkpoint.historyDigest(), checkpoint.stateDigest());
    CheckpointKey previous =
        checkpointedAt.get(checkpoint.replica()).putIfAbsent(checkpoint.seq(), key);
    if (previous != null) {
      if (!previous.equals(key)) drops.count(CHECKPOINT_REPEATED);
      return Optional.empty();
    }
    Bytes[] signatures = checkpoints.computeIfAbsent(key, k -> new Bytes[n]);
    signatures[checkpoint.replica()] = checkpoint.auth();
    if (count(signatures) != quorum) return Optional.empty();
    return Optional.of(
        new CheckpointProof(
            key.seq(), key.historyDigest(), key.stateDigest(), signaturesOf(signatures)));
  }

  /** A CHECKPOINT above the window: the proof once 2f+1 senders' latest ones match, else empty. */
  private Optional<CheckpointProof> addAhead(Checkpoint checkpoint) {
    Checkpoint previous = ahead[checkpoint.replica()];
    if (previous != null && previous.seq() >= checkpoint.seq()) {
      drops.count(OUTSIDE_TALLY_WINDOW);
      return Optional.empty();
    }
    ahead[checkpoint.replica()] = checkpoint;
    List<Signature> signatures = new ArrayList<>();
    for (Checkpoint other : ahead) {
      if (other != null
          && other.seq() == checkpoint.seq()
          && other.historyDigest().equals(checkpoint.historyDigest())
          && other.stateDigest().equals(checkpoint.stateDigest())
          && signatures.size() < quorum) {
        signatures.add(new Signature(other.replica(), other.auth()));
      }
    }
    if (signatures.size() < quorum) return Optional.empty();
    return Optional.of(
        new CheckpointProof(
            checkpoint.seq(), checkpoint.historyDigest(), checkpoint.stateDigest(), signatures));
  }

  /** Remembers our state at a commit point, to checkpoint it once a certificate covers it. */
  void captureState(long seq, Digest historyDigest, Bytes state) {
    if (seq <= stable.seq()) return;
    ownStates.put(seq, new OwnState(seq, historyDigest, state, null));
  }

  void stateDigested(long seq, Digest historyDigest, Digest stateDigest) {
    OwnState own = ownStates.get(seq);
    if (own == null || !own.historyDigest().equals(historyDigest)) return;
    ownStates.put(seq, new OwnState(seq, historyDigest, own.state(), stateDigest));
  }

  OwnState ownState(long seq) {
    return ownStates.get(seq);
  }

  /** Own states above {@code seq} are of a history that was rolled back. */
  void forgetStatesAbove(long seq) {
    ownStates.tailMap(seq, false).clear();
  }

  /** Own states at or below {@code seq} that a certificate now covers, oldest first. */
  List<OwnState> statesUpTo(long seq) {
    return new ArrayList<>(ownStates.headMap(seq, true).values());
  }

  /**
   * The checkpoint {@code proof} is stable, with our state {@code state} there: tallies and own
   * states at or below it are freed.
   */
  void makeStable(CheckpointProof proof, Bytes state) {
    assert proof.seq() > stable.seq() : "stable checkpoint went back";
    stable = proof;
    stableState = state;
    votes.headMap(new VoteKey(Long.MAX_VALUE, proof.seq(), Digest.ZERO), true).clear();
    checkpoints.headMap(new CheckpointKey(proof.seq(), maxDigest(), maxDigest()), true).clear();
    ownStates.headMap(proof.seq(), true).clear();
    for (TreeMap<Long, VoteKey> own : votedAt) own.headMap(proof.seq(), true).clear();
    for (TreeMap<Long, CheckpointKey> own : checkpointedAt) own.headMap(proof.seq(), true).clear();
    for (int replica = 0; replica < n; replica++) {
      if (ahead[replica] != null && ahead[replica].seq() <= proof.seq()) ahead[replica] = null;
    }
  }

  private static Digest maxDigest() {
    return new Digest(-1, -1, -1, -1);
  }

  private static int count(Bytes[] signatures) {
    int count = 0;
    for (Bytes signature : signatures) if (signature != null) count++;
    return count;
  }

  private static List<Signature> signaturesOf(Bytes[] signatures) {
    List<Signature> list = new ArrayList<>();
    for (int replica = 0; replica < signatures.length; replica++) {
      if (signatures[replica] != null) list.add(new Signature(replica, signatures[replica]));
    }
    return list;
  }
}
