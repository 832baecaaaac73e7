package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * The NEW-VIEW decision from MAC'd claims (TOCS §5.2, f = 1, new view 5): conditions A1, A2 and B,
 * and waiting while V cannot decide.
 */
class NewViewPlanClaimsTest {
  static final int F = 1;
  static final long NEW_VIEW = 5;

  private static final Digest D1 = new Digest(1, 1, 1, 1);
  private static final Digest D2 = new Digest(2, 2, 2, 2);
  private static final Digest FAKE = new Digest(6, 6, 6, 6);

  /** One sender's VIEW-CHANGE under construction. */
  private static final class Sender {
    final int replica;
    final List<PreparedProof> prepared = new ArrayList<>();
    final List<PrePrepared> prePrepared = new ArrayList<>();

    Sender(int replica) {
      this.replica = replica;
    }

    Sender prepared(long seq, Digest digest, long view) {
      prepared.add(new PreparedProof(prePrepare(seq, digest, view), List.of()));
      return prePrepared(seq, digest, view);
    }

    Sender prePrepared(long seq, Digest digest, long view) {
      prePrepared.add(new PrePrepared(seq, digest, view));
      return this;
    }

    ViewChange viewChange() {
      return new ViewChange(
          NEW_VIEW, 0, List.of(), prepared, prePrepared, replica, Bytes.EMPTY);
    }
  }

  private static PrePrepare prePrepare(long seq, Digest digest, long view) {
    Request request =
        new Request(7, seq, new Address("127.0.0.1", 9000), Bytes.utf8(digest + "@" + view));
    return new PrePrepare(view, seq, digest, List.of(request), Bytes.EMPTY);
  }

  private static NewViewPlan plan(Sender... senders) {
    List<ViewChange> viewChanges = new ArrayList<>();
    for (Sender sender : senders) viewChanges.add(sender.viewChange());
    return NewViewPlan.of(NEW_VIEW, viewChanges, F, true);
  }

  private static List<Digest> digests(NewViewPlan plan) {
    return plan.prePrepares().stream().map(PrePrepare::digest).toList();
  }

  @Test
  void aBatchPreparedByAQuorumIsReProposedWithItsBatch() {
    NewViewPlan plan =
        plan(
            new Sender(0).prepared(1, D1, 0),
            new Sender(1).prepared(1, D1, 0),
            new Sender(2).prePrepared(1, D1, 0));
    assertThat(digests(plan)).containsExactly(D1);
    PrePrepare chosen = plan.prePrepares().get(0);
    assertThat(chosen.view()).isEqualTo(NEW_VIEW);
    assertThat(chosen.batch()).isEqualTo(prePrepare(1, D1, 0).batch());
  }

  @Test
  void aFaultyReplicasLateClaimWithoutVouchersIsNotChosen() {
    // Replica 3 claims a made-up batch in the latest view; nobody else pre-prepared it (A2 fails).
    NewViewPlan plan =
        plan(
            new Sender(0).prepared(1, D1, 0),
            new Sender(1).prepared(1, D1, 0),
            new Sender(2).prepared(1, D1, 0),
            new Sender(3).prepared(1, FAKE, NEW_VIEW - 1));
    assertThat(digests(plan)).containsExactly(D1);
  }

  @Test
  void gapsBecomeNullRequestsAndTrailingNullsAreDropped() {
    NewViewPlan plan =
        plan(
            new Sender(0).prepared(2, D1, 0).prepared(4, D2, 0),
            new Sender(1).prepared(2, D1, 0).prePrepared(4, D2, 0),
            new Sender(2).prePrepared(2, D1, 0).prepared(4, D2, 0),
            new Sender(3).prepared(5, FAKE, 3));
    assertThat(digests(plan)).containsExactly(Batches.NULL_DIGEST, D1, Batches.NULL_DIGEST, D2);
    assertThat(plan.prePrepares().get(0).batch()).isEmpty();
  }

  @Test
  void vCannotDecideUntilEnoughReplicasVouchAndThenItCan() {
    // Only replica 0 pre-prepared D1: neither A2 (f+1 vouchers) nor B (2f+1 without a claim).
    Sender claimer = new Sender(0).prepared(1, D1, 0);
    assertThat(plan(claimer, new Sender(1), new Sender(2))).isNull();
    // A fourth VIEW-CHANGE that pre-prepared D1 decides it.
    NewViewPlan plan =
        plan(claimer, new Sender(1), new Sender(2), new Sender(3).prePrepared(1, D1, 0));
    assertThat(digests(plan)).containsExactly(D1);
  }

  @Test
  void theClaimOfTheLatestViewWinsWhenSeveralQualify() {
    NewViewPlan plan =
        plan(
            new Sender(0).prepared(1, D1, 0),
            new Sender(1).prepared(1, D2, 2),
            new Sender(2).prePrepared(1, D1, 0).prepared(1, D2, 2));
    assertThat(digests(plan)).containsExactly(D2);
  }

  @Test
  void aConflictingClaimInTheSameViewChallengesA1() {
    // Two claims for view 2 with different batches: each is challenged by the other's sender.
    NewViewPlan plan =
        plan(
            new Sender(0).prepared(1, D1, 2),
            new Sender(1).prepared(1, D2, 2),
            new Sender(2).prePrepared(1, D1, 2).prePrepared(1, D2, 2));
    assertThat(plan).isNull();
  }

  @Test
  void withoutClaimsAboveTheCheckpointNothingIsReProposed() {
    NewViewPlan plan = plan(new Sender(0), new Sender(1), new Sender(2));
    assertThat(plan.prePrepares()).isEmpty();
    assertThat(plan.minSeq()).isZero();
  }
}
