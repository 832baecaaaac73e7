package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * The NEW-VIEW decision that the new primary makes and every replica recomputes to check a
 * NEW-VIEW, a pure function of a set V of VIEW-CHANGEs for the new view. min-s is the latest stable
 * checkpoint in V (each comes with its proof); for each n above it:
 *
 * <ul>
 *   <li>with certificates (signatures, TOCS §4.4): the batch of the prepared certificate with the
 *       highest view, or the null request when V holds no certificate for n; max-s is the highest
 *       sequence number with a certificate.
 *   <li>with claims (MACs, TOCS §5.2's decision procedure): batch d prepared in view v (a P entry
 *       of some VIEW-CHANGE) is chosen if (A1) 2f+1 VIEW-CHANGEs in V prepared nothing at n in a
 *       view above v, nor another batch in v, and (A2) f+1 of them pre-prepared d at n in v or
 *       later (so a correct replica vouches for it); the null request is chosen if (B) 2f+1
 *       prepared nothing at n. If neither holds for some n, V cannot decide yet: the primary waits
 *       for more VIEW-CHANGEs. max-s is the highest n with a chosen batch.
 * </ul>
 *
 * @param minSeq min-s
 * @param checkpointSource a VIEW-CHANGE in V whose stable checkpoint is min-s (its proof)
 * @param prePrepares the unsigned PRE-PREPAREs for the new view, in sequence order
 */
record NewViewPlan(long minSeq, ViewChange checkpointSource, List<PrePrepare> prePrepares) {
  /**
   * The decision as a function: always {@link #of} in production. It is a parameter (of {@link
   * Pbft}'s package-private constructor) only for mutation testing, which plants a wrong decision
   * in the new primary and in every replica checking its NEW-VIEW alike, to show that the simulator
   * catches it.
   */
  @FunctionalInterface
  interface Rule {
    /**
     * @return the plan, or null if {@code claims} and V cannot decide some sequence number yet
     */
    NewViewPlan plan(long newView, List<ViewChange> viewChanges, int f, boolean claims);
  }

  static NewViewPlan of(long newView, List<ViewChange> viewChanges, int f, boolean claims) {
    assert !viewChanges.isEmpty() : "empty V";
    ViewChange checkpointSource = viewChanges.get(0);
    for (ViewChange viewChange : viewChanges) {
      if (viewChange.stableSeq() > checkpointSource.stableSeq()) checkpointSource = viewChange;
    }
    long minSeq = checkpointSource.stableSeq();
    TreeMap<Long, PreparedProof> chosen =
        claims ? fromClaims(viewChanges, minSeq, f) : fromCertificates(viewChanges, minSeq);
    if (chosen == null) return null;
    long maxSeq = chosen.isEmpty() ? minSeq : chosen.lastKey();
    assert maxSeq - minSeq <= PbftMessage.WINDOW_MAX : "certificates beyond the window";
    List<PrePrepare> prePrepares = new ArrayList<>((int) (maxSeq - minSeq));
    for (long seq = minSeq + 1; seq <= maxSeq; seq++) {
      PreparedProof proof = chosen.get(seq);
      if (proof == null) {
        prePrepares.add(new PrePrepare(newView, seq, Batches.NULL_DIGEST, List.of(), Bytes.EMPTY));
      } else {
        PrePrepare source = proof.prePrepare();
        prePrepares.add(new PrePrepare(newView, seq, source.digest(), source.batch(), Bytes.EMPTY));
      }
    }
    return new NewViewPlan(minSeq, checkpointSource, prePrepares);
  }

  /** TOCS §4.4: per sequence number above min-s, the certificate of the highest view. */
  private static TreeMap<Long, PreparedProof> fromCertificates(
      List<ViewChange> viewChanges, long minSeq) {
    TreeMap<Long, PreparedProof> best = new TreeMap<>();
    for (ViewChange viewChange : viewChanges) {
      for (PreparedProof proof : viewChange.prepared()) {
        if (proof.seq() <= minSeq) continue;
        PreparedProof current = best.get(proof.seq());
        if (current == null || proof.view() > current.view()) best.put(proof.seq(), proof);
      }
    }
    return best;
  }

  /**
   * TOCS §5.2: per sequence number above min-s, the claim that satisfies A1 and A2 (the one with
   * the highest view if several do), nothing where B holds, or null if some n satisfies neither.
   * Every VIEW-CHANGE's checkpoint is at or below min-s, so all of V counts for each n (the paper's
   * condition m.h &lt; n).
   */
  private static TreeMap<Long, PreparedProof> fromClaims(
      List<ViewChange> viewChanges, long minSeq, int f) {
    long maxClaimed = minSeq;
    for (ViewChange viewChange : viewChanges) {
      for (PreparedProof claim : viewChange.prepared())
        maxClaimed = Math.max(maxClaimed, claim.seq());
    }
    TreeMap<Long, PreparedProof> chosen = new TreeMap<>();
    for (long seq = minSeq + 1; seq <= maxClaimed; seq++) {
      PreparedProof best = null;
      int withoutClaim = 0;
      for (ViewChange viewChange : viewChanges) {
        PreparedProof claim = claimAt(viewChange, seq);
        if (claim == null) {
          withoutClaim++;
        } else if ((best == null || claim.view() > best.view())
            && unchallenged(viewChanges, claim, f)
            && vouchedFor(viewChanges, claim, f)) {
          best = claim;
        }
      }
      if (best != null) {
        chosen.put(seq, best);
      } else if (withoutClaim < 2 * f + 1) {
        return null; // neither a batch nor the null request can be chosen from this V yet
      }
    }
    return chosen;
  }

  /** A1: 2f+1 VIEW-CHANGEs prepared at n nothing in a later view and no other batch in v. */
  private static boolean unchallenged(List<ViewChange> viewChanges, PreparedProof claim, int f) {
    int count = 0;
    for (ViewChange viewChange : viewChanges) {
      PreparedProof other = claimAt(viewChange, claim.seq());
      if (other == null
          || other.view() < claim.view()
          || (other.view() == claim.view() && other.prePrepare().digest().equals(digest(claim)))) {
        count++;
      }
    }
    return count >= 2 * f + 1;
  }

  /** A2: f+1 VIEW-CHANGEs pre-prepared the claim's batch at n in its view or later. */
  private static boolean vouchedFor(List<ViewChange> viewChanges, PreparedProof claim, int f) {
    int count = 0;
    for (ViewChange viewChange : viewChanges) {
      for (PrePrepared entry : viewChange.prePrepared()) {
        if (entry.seq() == claim.seq()
            && entry.view() >= claim.view()
            && entry.digest().equals(digest(claim))) {
          count++;
          break;
        }
      }
    }
    return count >= f + 1;
  }

  private static Digest digest(PreparedProof claim) {
    return claim.prePrepare().digest();
  }

  /** The sender's P entry at {@code seq} (entries are sorted and distinct, checked on receipt). */
  private static PreparedProof claimAt(ViewChange viewChange, long seq) {
    for (PreparedProof claim : viewChange.prepared()) {
      if (claim.seq() == seq) return claim;
      if (claim.seq() > seq) break;
    }
    return null;
  }

  /** Whether {@code proposed} re-proposes exactly the plan (signatures aside). */
  boolean matches(List<PrePrepare> proposed) {
    if (proposed.size() != prePrepares.size()) return false;
    for (int i = 0; i < proposed.size(); i++) {
      PrePrepare expected = prePrepares.get(i);
      PrePrepare actual = proposed.get(i);
      if (actual.view() != expected.view() || actual.seq() != expected.seq()) return false;
      Digest digest = expected.digest();
      if (!actual.digest().equals(digest)) return false;
    }
    return true;
  }
}
