package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.app.KvStore;
import oskr.core.Address;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Completion;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.sim.Checks;
import oskr.sim.Filter;
import oskr.sim.Partition;
import oskr.sim.Rewrite;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * The counterexample of Abraham, Gueta, Malkhi, Alvisi, Kotla and Martin, "Revisiting Fast
 * Practical Byzantine Fault Tolerance" (2017), driven on real replicas by an aimed schedule (n = 4,
 * f = 1, replica 3 Byzantine, the first slot, two view changes):
 *
 * <ol>
 *   <li>View 0: primary 0 orders client 0's request A at 1; replica 1 does not hear it. 0, 2 and 3
 *       answer alike, client 0 makes a commit certificate, and its COMMIT reaches replica 3 only.
 *   <li>View change to 1, NEW-VIEW from replicas 1, 2 and 3 (0's VIEW-CHANGE does not reach 1);
 *       replica 3 hides A and its certificate. One report of A is not f+1: view 1 starts empty and
 *       every replica rolls A back.
 *   <li>View 1: client 1's request B at 1, executed by all four: B completes on the fast path.
 *   <li>View change to 2, NEW-VIEW from 1, 2 and 3: 1 and 2 report B (history view 1); replica 3
 *       reports its old history A (history view 0) with the view-0 certificate for A.
 * </ol>
 *
 * The SOSP'07 rule (the certificate first, views ignored) takes A at 1: B, completed on the fast
 * path, is rolled back and never committed. The corrected rule takes the evidence of the highest
 * view, B, and client 0's A is ordered after it. Each seed draws its own latencies and job delays.
 */
class RevisitingCounterexampleTest {
  private static final Duration STEP = Duration.ofSeconds(20);
  private static final int BYZANTINE = 3;

  /** What the aimed run showed. */
  private record Outcome(boolean bCompletedFast, List<String> lostCompletions) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void theCorrectedRuleKeepsTheFastPathCompletion(long seed) {
    Outcome outcome = run(Zyzzyva.INSTANCE, seed);
    assertThat(outcome.bCompletedFast()).isTrue();
    assertThat(outcome.lostCompletions()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void theSosp07RuleLosesIt(long seed) {
    Outcome outcome = run(new Zyzzyva(Zyzzyva.PlantedBug.SOSP07_VIEW_CHANGE), seed);
    assertThat(outcome.bCompletedFast()).isTrue();
    // At each correct replica: B's accepted result is in no committed execution.
    assertThat(outcome.lostCompletions())
        .hasSize(3)
        .allMatch(
            line ->
                line.contains("accepted a result no replica produced")
                    && line.contains("client=1"));
  }

  private static Outcome run(Zyzzyva protocol, long seed) {
    SimulationBuilder<ZyzzyvaMessage> builder =
        Simulation.builder(protocol, seed)
            .replicas(4, 1)
            .clients(2)
            .opsPerClient(1)
            .options(ZyzzyvaSimulationTest.options(Scheme.HMAC))
            .app(replica -> new KvStore())
            .traceSink(
                line -> {
                  if (System.getProperty("zyz.trace") != null) System.out.println(line);
                });
    Address[] replica = new Address[4];
    for (int i = 0; i < 4; i++) replica[i] = SimulationBuilder.replicaAddress(i);
    Address client0 = SimulationBuilder.clientAddress(0);
    Address client1 = SimulationBuilder.clientAddress(1);
    Lies lies = new Lies();
    Simulation<ZyzzyvaMessage> sim = builder.build();
    lies.crypto = new Crypto(sim.keys().replica(BYZANTINE));
    sim.addFilter(Rewrite.messages("replica 3 lies in VIEW-CHANGEs", protocol, lies::rewrite));
    sim.pause(client1);

    // 1. View 0: A at 1, unheard by replica 1; client 0's COMMIT reaches replica 3 only.
    Partition orderToOne = sim.partitionOneWay(Set.of(replica[0]), Set.of(replica[1]));
    Filter commitsToThree =
        (packet, out) -> {
          if (packet.from().equals(client0)
              && !packet.to().equals(replica[BYZANTINE])
              && isCommit(protocol, packet.frame())) {
            out.drop(packet, "aimed: COMMIT to replica 3 only");
          } else {
            out.pass(packet);
          }
        };
    sim.addFilter(commitsToThree);
    RunStatus held = sim.runUntil(() -> core(sim, BYZANTINE).heldCert != null, STEP);
    assertThat(held).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    sim.pause(client0); // its retries would hand A to the next primary

    // 2. View change to 1, without replica 0's VIEW-CHANGE at the new primary.
    for (int i = 0; i < 4; i++) core(sim, i).startViewChange(1);
    RunStatus inView1 = sim.runUntil(() -> allNormalIn(sim, 1), STEP);
    assertThat(inView1).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    assertThat(lies.hidden).isNotNull();
    for (int i = 0; i < 4; i++) assertThat(core(sim, i).history.lastSeq()).isZero();
    sim.removeFilter(orderToOne);

    // 3. View 1: client 1's B at 1, executed by all four.
    sim.resume(client1);
    RunStatus bDone = sim.runUntil(() -> sim.completedOperations() >= 1, STEP);
    assertThat(bDone).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    boolean fast = sim.completedOperations(Completion.Path.FAST) == 1;

    // 4. View change to 2, without replica 0's VIEW-CHANGE at the new primary (replica 2).
    Partition viewChangeToTwo = sim.partitionOneWay(Set.of(replica[0]), Set.of(replica[2]));
    lies.replay = true;
    for (int i = 0; i < 4; i++) core(sim, i).startViewChange(2);
    RunStatus inView2 = sim.runUntil(() -> allNormalIn(sim, 2), STEP);
    assertThat(inView2).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    sim.removeFilter(viewChangeToTwo);
    sim.removeFilter(commitsToThree);

    // Client 0 retries A; then commit points settle what each replica committed.
    sim.resume(client0);
    RunStatus done = sim.runUntil(sim::allClientsDone, Duration.ofSeconds(60));
    assertThat(done).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofSeconds(5));
    // B, completed on the fast path, must be committed with its result at every correct replica
    // (it heads view 2, a commit point). A, ordered after it, may still be speculative.
    List<oskr.sim.ClientOperation> completedB =
        sim.history().stream().filter(operation -> operation.client() == 1).toList();
    assertThat(completedB).hasSize(1);
    List<String> lost = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int correct = i;
      List<oskr.sim.Execution> committed =
          sim.executions().stream().filter(e -> e.replica() == correct).toList();
      lost.addAll(Checks.acceptedResultsExecuted(completedB, committed));
    }
    return new Outcome(fast, lost);
  }

  /**
   * Replica 3's VIEW-CHANGEs: for view 1 it hides its history and certificate (keeping them); for
   * view 2 it reports them again as they were in view 0, signed with its own key.
   */
  private static final class Lies {
    Crypto crypto;
    ViewChange hidden;
    boolean replay;

    ZyzzyvaMessage rewrite(
        oskr.sim.Packet packet, ZyzzyvaMessage message, java.util.SplittableRandom random) {
      if (!(message instanceof ViewChange m) || m.replica() != BYZANTINE) return message;
      if (m.newView() == 1 && m.cert().isPresent()) {
        hidden = m;
        return sign(
            new ViewChange(
                1,
                0,
                CheckpointProof.INITIAL,
                Optional.empty(),
                List.of(),
                BYZANTINE,
                oskr.core.Bytes.EMPTY));
      }
      if (m.newView() == 1) return message;
      if (replay && hidden != null) {
        return sign(
            new ViewChange(
                m.newView(),
                hidden.historyView(),
                hidden.checkpoint(),
                hidden.cert(),
                hidden.entries(),
                BYZANTINE,
                oskr.core.Bytes.EMPTY));
      }
      return message;
    }

    private ViewChange sign(ViewChange unsigned) {
      return unsigned.withAuth(Auth.sign(crypto, unsigned::encodeSigned));
    }
  }

  private static boolean isCommit(Zyzzyva protocol, oskr.core.Bytes frame) {
    try {
      return oskr.protocol.Frames.decode(protocol, frame.unsafeArray(), 0, frame.length())
          instanceof Commit;
    } catch (oskr.core.MalformedMessage e) {
      return false;
    }
  }

  private static ZyzzyvaReplica core(Simulation<ZyzzyvaMessage> sim, int index) {
    return (ZyzzyvaReplica) sim.replica(index);
  }

  private static boolean allNormalIn(Simulation<ZyzzyvaMessage> sim, long view) {
    for (int i = 0; i < 4; i++) {
      ZyzzyvaReplica replica = core(sim, i);
      if (replica.view() != view || replica.status != ReplicaCore.Status.NORMAL) return false;
    }
    return true;
  }
}
