package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.Options;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.sim.Simulation;

/**
 * For {@link NewViewSafetyTest}, which runs it in a class loader with assertions disabled: a
 * replica that saw batch {@link #COMMITTED} commit at sequence number 1 receives a NEW-VIEW whose
 * decision re-proposes {@link #OTHER} there. The decision is planted in the replica ({@link
 * NewViewPlan.Rule}, as in mutation tests), since a real NEW-VIEW that does this cannot be built
 * with at most f faulty replicas: only our own bug can get there. Public, as the test calls it from
 * another class loader (another runtime package).
 */
public final class CommittedReProposal {
  static final Digest COMMITTED = new Digest(1, 1, 1, 1);
  static final Digest OTHER = new Digest(2, 2, 2, 2);

  private CommittedReProposal() {}

  /** Whether assertions are enabled in this class's loader. */
  public static boolean assertionsEnabled() {
    boolean enabled = false;
    assert enabled = true; // runs only with assertions enabled
    return enabled;
  }

  /** Delivers the NEW-VIEW to the replica; returns normally only if the replica accepts it. */
  public static void run() {
    Pbft planted =
        new Pbft(
            (newView, viewChanges, f, claims) ->
                new NewViewPlan(
                    0,
                    viewChanges.get(0),
                    List.of(new PrePrepare(newView, 1, OTHER, List.of(), Bytes.EMPTY))));
    Simulation<PbftMessage> sim =
        Simulation.builder(planted, 1)
            .replicas(4, 1)
            .clients(0)
            .options(Options.defaults().withSettings(PbftSettings.checkpoints(4, 8)))
            .build();
    PbftReplica replica = (PbftReplica) sim.replica(1);
    PrePrepare committed = new PrePrepare(0, 1, COMMITTED, List.of(), Bytes.EMPTY);
    replica.slot(1).installCommitted(new CommittedProof(committed, List.of()));
    ViewChange viewChange = new ViewChange(1, 0, List.of(), List.of(), List.of(), 2, Bytes.EMPTY);
    PrePrepare header = new PrePrepare(1, 1, OTHER, List.of(), Bytes.EMPTY);
    NewView newView = new NewView(1, List.of(viewChange), List.of(header), Bytes.EMPTY);
    replica.onMessage(sim.config().replica(1), newView);
  }
}
