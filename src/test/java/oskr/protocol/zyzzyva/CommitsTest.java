package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.Drops;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/** Per-sender bounds of the VOTE and CHECKPOINT tallies (signatures are checked before). */
class CommitsTest {
  private static final int N = 4;
  private static final int F = 1;
  private static final int WINDOW = 8;
  private static final int FAULTY = 3;

  private static Digest digest(long value) {
    return new Digest(value, value + 1, value + 2, value + 3);
  }

  private static Bytes signature(int replica) {
    return Bytes.adopt(new byte[] {(byte) replica});
  }

  @Test
  void aFaultyReplicaOwnsAtMostOneVoteAndCheckpointPerSequenceNumber() {
    Drops drops = new Drops();
    Commits commits = new Commits(N, F, WINDOW, drops);
    // Many distinct statements: every sequence number of the tally window (2L), rising views,
    // made-up histories and states, and more beyond the window.
    for (long view = 0; view < 200; view++) {
      for (long seq = 1; seq <= 4 * WINDOW; seq++) {
        commits.addVote(new Vote(view, seq, digest(view * 1000 + seq), FAULTY, signature(FAULTY)));
        commits.addCheckpoint(
            new Checkpoint(seq, digest(view), digest(view + seq), FAULTY, signature(FAULTY)));
      }
    }
    assertThat(commits.entriesOf(FAULTY)).isEqualTo(2 * 2 * WINDOW);
    assertThat(commits.tallies()).isEqualTo(2 * 2 * WINDOW);
    assertThat(drops.get(Commits.VOTE_SUPERSEDED)).isZero(); // each one had a higher view
    assertThat(drops.get(Commits.CHECKPOINT_REPEATED)).isEqualTo(199L * 2 * WINDOW);
    // Votes beyond the window are dropped; a checkpoint beyond it is kept while it is the
    // sender's latest (view 0's rising ones, in one slot), then dropped.
    assertThat(drops.get(Commits.OUTSIDE_TALLY_WINDOW))
        .isEqualTo(200L * 2 * WINDOW + 199L * 2 * WINDOW);

    // A lower view at a sequence number the faulty replica already voted at is refused.
    commits.addVote(new Vote(5, 1, digest(7), FAULTY, signature(FAULTY)));
    assertThat(drops.get(Commits.VOTE_SUPERSEDED)).isEqualTo(1);

    // The correct replicas are not crowded out: their 2f+1 votes and checkpoints still complete.
    Digest history = digest(42);
    assertThat(commits.addVote(new Vote(0, WINDOW, history, 0, signature(0)))).isEmpty();
    assertThat(commits.addVote(new Vote(0, WINDOW, history, 1, signature(1)))).isEmpty();
    var cert = commits.addVote(new Vote(0, WINDOW, history, 2, signature(2)));
    assertThat(cert).isPresent();
    assertThat(cert.get().signatures()).hasSize(2 * F + 1);
    Digest state = digest(99);
    assertThat(commits.addCheckpoint(new Checkpoint(WINDOW, history, state, 0, signature(0))))
        .isEmpty();
    assertThat(commits.addCheckpoint(new Checkpoint(WINDOW, history, state, 1, signature(1))))
        .isEmpty();
    assertThat(commits.addCheckpoint(new Checkpoint(WINDOW, history, state, 2, signature(2))))
        .isPresent();
    assertThat(commits.entriesOf(0)).isEqualTo(2);
  }

  @Test
  void aCorrectReplicasVoteInALaterViewReplacesItsEarlierOne() {
    Commits commits = new Commits(N, F, WINDOW, new Drops());
    Digest history = digest(1);
    commits.addVote(new Vote(0, 4, history, 0, signature(0)));
    commits.addVote(new Vote(1, 4, history, 0, signature(0)));
    assertThat(commits.entriesOf(0)).isEqualTo(1);
    assertThat(commits.tallies()).isEqualTo(1); // the view-0 tally emptied and was freed
    commits.addVote(new Vote(1, 4, history, 1, signature(1)));
    assertThat(commits.addVote(new Vote(1, 4, history, 2, signature(2)))).isPresent();
  }

  @Test
  void aReplicaLeftBehindLearnsAStableCheckpointFromCheckpointsAboveItsWindow() {
    Drops drops = new Drops();
    Commits commits = new Commits(N, F, WINDOW, drops);
    long far = 10 * WINDOW;
    Digest history = digest(7);
    Digest state = digest(8);
    // The faulty replica alone, with made-up checkpoints far ahead: one slot, never a proof.
    for (long seq = far; seq < far + 100; seq++) {
      assertThat(
              commits.addCheckpoint(
                  new Checkpoint(seq, digest(seq), state, FAULTY, signature(FAULTY))))
          .isEmpty();
    }
    assertThat(commits.tallies()).isZero();
    assertThat(commits.addCheckpoint(new Checkpoint(far, history, state, 0, signature(0))))
        .isEmpty();
    assertThat(commits.addCheckpoint(new Checkpoint(far, history, state, 1, signature(1))))
        .isEmpty();
    var proof = commits.addCheckpoint(new Checkpoint(far, history, state, 2, signature(2)));
    assertThat(proof).isPresent();
    assertThat(proof.get().seq()).isEqualTo(far);
    assertThat(proof.get().signatures())
        .extracting(ZyzzyvaMessage.Signature::replica)
        .containsExactly(0, 1, 2);
    // Once stable there, what lay ahead is forgotten.
    commits.makeStable(proof.get(), Bytes.EMPTY);
    assertThat(commits.addCheckpoint(new Checkpoint(far + 4, history, state, 0, signature(0))))
        .isEmpty();
  }
}
