package oskr.protocol.pbft;

import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.ForwardingContext;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.pbft.PbftMessage.Commit;

/**
 * A planted bug, for tests only: a PBFT replica that is committed-local with 2f matching COMMITs
 * instead of 2f+1 (TOCS §4.2), so a batch it executes may be prepared at only one correct replica
 * and be lost in a view change. The real replica runs inside; once it has sent its own COMMIT for
 * (v, n, d) (so it is prepared) and seen 2f-1 more, it is handed one more COMMIT for (v, n, d) in
 * the name of a replica that sent none, which makes the real 2f+1 rule fire at 2f. (That phantom
 * carries no valid authenticator; it only ever reaches this replica's own slot.)
 */
final class EagerCommitReplica implements Replica<PbftMessage> {
  private record Vote(long view, long seq, Digest digest) {}

  private final PbftReplica inner;
  private final Context<PbftMessage> outer;
  private final Config config;
  private final int self;
  private final HashMap<Vote, BitSet> commits = new HashMap<>();
  private final HashSet<Vote> ownCommits = new HashSet<>();
  private final HashSet<Vote> boosted = new HashSet<>();

  EagerCommitReplica(ReplicaSetup<PbftMessage> setup) {
    this.outer = setup.context();
    this.config = setup.config();
    this.self = setup.index();
    this.inner =
        new PbftReplica(
            new ReplicaSetup<>(
                config, self, setup.app(), setup.options(), new OwnCommitsSeen(outer)));
  }

  @Override
  public void onMessage(Address from, PbftMessage message) {
    inner.onMessage(from, message);
    if (message instanceof Commit commit) note(commit);
  }

  @Override
  public void onTimer(TimerKey key) {
    inner.onTimer(key);
  }

  @Override
  public Drops drops() {
    return inner.drops();
  }

  private void note(Commit commit) {
    Vote vote = new Vote(commit.view(), commit.seq(), commit.digest());
    BitSet senders = commits.computeIfAbsent(vote, v -> new BitSet(config.n()));
    senders.set(commit.replica());
    if (commit.replica() == self) ownCommits.add(vote);
    // With 2f+1 the real rule fires by itself.
    if (!ownCommits.contains(vote) || senders.cardinality() != 2 * config.f()) return;
    if (!boosted.add(vote)) return;
    int phantom = senders.nextClearBit(0);
    Commit extra = new Commit(vote.view(), vote.seq(), vote.digest(), phantom, Bytes.EMPTY);
    // A new event, never a call into the replica from inside one of its own callbacks.
    outer.submit(crypto -> extra, c -> inner.onMessage(config.replica(c.replica()), c));
  }

  /** The replica's context, watching the COMMITs it multicasts. */
  private final class OwnCommitsSeen extends ForwardingContext<PbftMessage> {
    OwnCommitsSeen(Context<PbftMessage> context) {
      super(context);
    }

    @Override
    public void broadcast(PbftMessage message) {
      super.broadcast(message);
      if (message instanceof Commit commit && commit.replica() == self) note(commit);
    }
  }
}
