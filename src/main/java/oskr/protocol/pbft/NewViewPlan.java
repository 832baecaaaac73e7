package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * The decision of TOCS §4.4 that the new primary makes and every replica recomputes to check a
 * NEW-VIEW: from a set V of VIEW-CHANGEs, min-s is the latest stable checkpoint in V, max-s the
 * highest sequence number in a prepared certificate in V; for each n in (min-s, max-s] the new
 * primary re-proposes the batch of the certificate with the highest view, or the null request when
 * V holds no certificate for n. A pure function of V.
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
    NewViewPlan plan(long newView, List<ViewChange> viewChanges);
  }

  static NewViewPlan of(long newView, List<ViewChange> viewChanges) {
    assert !viewChanges.isEmpty() : "empty V";
    ViewChange checkpointSource = viewChanges.get(0);
    for (ViewChange viewChange : viewChanges) {
      if (viewChange.stableSeq() > checkpointSource.stableSeq()) checkpointSource = viewChange;
    }
    long minSeq = checkpointSource.stableSeq();
    TreeMap<Long, PreparedProof> best = new TreeMap<>();
    for (ViewChange viewChange : viewChanges) {
      for (PreparedProof proof : viewChange.prepared()) {
        if (proof.seq() <= minSeq) continue;
        PreparedProof current = best.get(proof.seq());
        if (current == null || proof.view() > current.view()) best.put(proof.seq(), proof);
      }
    }
    long maxSeq = best.isEmpty() ? minSeq : best.lastKey();
    assert maxSeq - minSeq <= PbftMessage.WINDOW_MAX : "certificates beyond the window";
    List<PrePrepare> prePrepares = new ArrayList<>((int) (maxSeq - minSeq));
    for (long seq = minSeq + 1; seq <= maxSeq; seq++) {
      PreparedProof proof = best.get(seq);
      if (proof == null) {
        prePrepares.add(new PrePrepare(newView, seq, Batches.NULL_DIGEST, List.of(), Bytes.EMPTY));
      } else {
        PrePrepare chosen = proof.prePrepare();
        prePrepares.add(new PrePrepare(newView, seq, chosen.digest(), chosen.batch(), Bytes.EMPTY));
      }
    }
    return new NewViewPlan(minSeq, checkpointSource, prePrepares);
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
