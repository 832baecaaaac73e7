package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.Drops;
import oskr.protocol.hotstuff.HotStuffMessage.Vote;

/**
 * The next leader's collection of votes (Algorithm 3: votes go to the leader of the next view): per
 * view and block, each replica's signature, until n-f form a QC. Views at or below the highest
 * certified one are pruned; a view keeps at most {@link #BLOCKS_PER_VIEW_MAX} candidate blocks.
 */
final class Votes {
  static final int BLOCKS_PER_VIEW_MAX = 4;

  /** Votes accepted at most this many views ahead of the replica's own view. */
  static final long VOTE_AHEAD_MAX = 1024;

  static final String STALE = "stale vote";
  static final String DUPLICATE = "duplicate vote";
  static final String TOO_MANY = "too many blocks at a view";
  static final String FAR_AHEAD = "vote too far ahead";

  private final Drops drops;

  private final int n;
  private final int quorum;

  /** Per view, per block digest (looked up only), the signatures by replica. */
  private final TreeMap<Long, HashMap<Digest, Bytes[]>> byView = new TreeMap<>();

  Votes(int n, int quorum, Drops drops) {
    this.n = n;
    this.quorum = quorum;
    this.drops = drops;
  }

  /**
   * Takes a verified vote addressed to this replica, unless its view is certified already ({@code
   * qcHighView}) or too far beyond {@code view}.
   *
   * @return the QC, the first time the vote's block gets n-f votes
   */
  Optional<QuorumCert> add(Vote vote, long qcHighView, long view) {
    if (vote.view() <= qcHighView) {
      drops.count(STALE);
      return Optional.empty();
    }
    if (vote.view() > view + VOTE_AHEAD_MAX) {
      drops.count(FAR_AHEAD);
      return Optional.empty();
    }
    Outcome[] outcome = new Outcome[1];
    Optional<QuorumCert> qc = add(vote, outcome);
    if (outcome[0] == Outcome.DUPLICATE) drops.count(DUPLICATE);
    if (outcome[0] == Outcome.TOO_MANY_BLOCKS) drops.count(TOO_MANY);
    return qc;
  }

  /** The outcome of adding a vote. */
  enum Outcome {
    COUNTED,
    DUPLICATE,
    TOO_MANY_BLOCKS
  }

  /**
   * Adds a verified vote.
   *
   * @return the QC, the first time the vote's block gets n-f votes
   */
  private Optional<QuorumCert> add(Vote vote, Outcome[] outcome) {
    HashMap<Digest, Bytes[]> atView = byView.computeIfAbsent(vote.view(), view -> new HashMap<>());
    Bytes[] signatures = atView.get(vote.block());
    if (signatures == null) {
      if (atView.size() >= BLOCKS_PER_VIEW_MAX) {
        outcome[0] = Outcome.TOO_MANY_BLOCKS;
        return Optional.empty();
      }
      signatures = new Bytes[n];
      atView.put(vote.block(), signatures);
    }
    if (signatures[vote.replica()] != null) {
      outcome[0] = Outcome.DUPLICATE;
      return Optional.empty();
    }
    signatures[vote.replica()] = vote.signature();
    outcome[0] = Outcome.COUNTED;
    int count = 0;
    for (Bytes signature : signatures) if (signature != null) count++;
    assert count <= n : "more votes than replicas";
    if (count != quorum) return Optional.empty();
    List<QuorumCert.Signature> collected = new ArrayList<>(quorum);
    for (int replica = 0; replica < n; replica++) {
      if (signatures[replica] != null) {
        collected.add(new QuorumCert.Signature(replica, signatures[replica]));
      }
    }
    return Optional.of(new QuorumCert(vote.view(), vote.block(), collected));
  }

  /** Forgets the votes of views at or below {@code view}. */
  void pruneUpTo(long view) {
    byView.headMap(view, true).clear();
  }

  int viewCount() {
    return byView.size();
  }
}
