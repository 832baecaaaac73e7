package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * A planted bug, for tests only: the NEW-VIEW decision (TOCS §4.4, or §5.2 with MACs) with the P
 * entries for the highest sequence number in V left out, so the new primary re-proposes nothing (or
 * the null request) there and hands that sequence number to a new batch. It is planted as the
 * {@link NewViewPlan.Rule} of every replica, the new primary's and those checking its NEW-VIEW
 * alike: a primary alone dropping a certificate is caught by the backups' recomputation (a liveness
 * matter), while a wrong shared decision is a safety bug only the simulator's checkers can see.
 */
final class DroppedCertificate {
  /** PBFT with this decision everywhere. */
  static final Pbft PROTOCOL = new Pbft(DroppedCertificate::plan);

  private DroppedCertificate() {}

  static NewViewPlan plan(long newView, List<ViewChange> viewChanges, int f, boolean claims) {
    long highest = highestCertified(viewChanges);
    List<ViewChange> without = new ArrayList<>(viewChanges.size());
    for (ViewChange m : viewChanges) {
      List<PreparedProof> kept = new ArrayList<>(m.prepared());
      kept.removeIf(proof -> proof.seq() == highest);
      without.add(
          new ViewChange(
              m.newView(),
              m.stableSeq(),
              m.stableProof(),
              kept,
              m.prePrepared(),
              m.replica(),
              m.auth()));
    }
    return NewViewPlan.of(newView, without, f, claims);
  }

  private static long highestCertified(List<ViewChange> viewChanges) {
    long highest = -1;
    for (ViewChange viewChange : viewChanges) {
      for (PreparedProof proof : viewChange.prepared()) highest = Math.max(highest, proof.seq());
    }
    return highest;
  }
}
