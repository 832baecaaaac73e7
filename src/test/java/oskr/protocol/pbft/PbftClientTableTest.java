package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.core.crypto.Scheme;
import oskr.protocol.Frames;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.sim.Filter;
import oskr.sim.Packet;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;
import oskr.sim.dst.MutantProtocol;

/**
 * The client table stays bounded without locking anyone out (see {@link ClientRecords}): with room
 * for 3 clients and 6 clients taking turns, every client is served, each operation executes once,
 * and old requests replayed after their clients were evicted execute no second time.
 */
class PbftClientTableTest {
  private static final int TABLE = 3;

  /** PBFT whose replicas remember at most {@link #TABLE} clients. */
  private static final MutantProtocol<PbftMessage> SMALL_TABLE =
      MutantProtocol.of(Pbft.INSTANCE, "a client table of " + TABLE)
          .withReplicas(setup -> new PbftReplica(setup, NewViewPlan::of, TABLE));

  private static SimulationBuilder<PbftMessage> builder(long seed) {
    return Simulation.builder(SMALL_TABLE, seed)
        .replicas(4, 1)
        .clients(2 * TABLE)
        .opsPerClient(8)
        .thinkTime(Duration.ofMillis(20))
        .options(PbftSimulationTest.options(Scheme.ED25519))
        .app(replica -> new LogApp(false));
  }

  private static Simulation<PbftMessage> run(long seed, Filter filter) {
    Simulation<PbftMessage> sim = builder(seed).filter(filter).build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    return sim;
  }

  private static Bytes table(PbftReplica replica) {
    Writer out = new Writer(256);
    replica.execution.clientRecords.encode(out);
    return out.toBytes();
  }

  @Test
  void moreClientsThanTheTableHoldsAreAllServedAndEachOperationExecutesOnce() {
    Simulation<PbftMessage> sim = run(41, (packet, out) -> out.pass(packet));
    for (int i = 0; i < 4; i++) {
      PbftReplica replica = PbftSimulationTest.replica(sim, i);
      assertThat(replica.execution.clientRecords.size()).isLessThanOrEqualTo(TABLE);
      assertThat(replica.drops().get(Execution.REFUSED)).as("refusals").isPositive();
    }
  }

  /**
   * Every request a client sent is delivered to the primary once more after the run, when most of
   * their clients have been evicted: a request of an evicted client is refused (its number is at or
   * below the low-water mark), one of a client still in the table is a duplicate.
   */
  @Test
  void oldRequestsReplayedAfterTheirClientsWereEvictedDoNotExecuteAgain() {
    RecordRequests recorded = new RecordRequests();
    Simulation<PbftMessage> sim = run(42, recorded);
    long executions = sim.executions().size();
    long refused = PbftSimulationTest.replica(sim, 0).drops().get(Execution.REFUSED);
    for (Packet packet : List.copyOf(recorded.requests)) {
      sim.injectFrame(packet.from(), sim.replicaAddress(0), packet.frame());
    }
    sim.runFor(Duration.ofSeconds(5));
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
    assertThat(sim.executions()).hasSize((int) executions);
    assertThat(PbftSimulationTest.replica(sim, 0).drops().get(Execution.REFUSED))
        .as("replayed requests refused")
        .isGreaterThan(refused);
  }

  /**
   * The table is part of the checkpointed state: replica 3, cut off while the others go through
   * checkpoints, installs a snapshot, and from there refuses and evicts exactly as the others do.
   */
  @Test
  void aReplicaThatCaughtUpByStateTransferDecidesAsTheOthers() {
    LogApp[] apps = new LogApp[4];
    Simulation<PbftMessage> sim =
        builder(43).opsPerClient(30).app(i -> apps[i] = new LogApp(false)).build();
    sim.runUntil(() -> sim.completedOperations() >= 10, PbftSimulationTest.LIMIT);
    Address cut = sim.replicaAddress(3);
    sim.partition(Set.of(cut), PbftSimulationTest.allBut(sim, cut));
    sim.runUntil(() -> sim.completedOperations() >= 80, PbftSimulationTest.LIMIT);
    PbftReplica lagging = PbftSimulationTest.replica(sim, 3);
    long refusedBeforeTransfer = lagging.drops().get(Execution.REFUSED);
    sim.heal();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    sim.runFor(Duration.ofMillis(500));
    assertThat(apps[3].offset()).as("installed a snapshot").isPositive();
    assertThat(lagging.drops().get(Execution.REFUSED)).isGreaterThan(refusedBeforeTransfer);
    PbftReplica other = PbftSimulationTest.replica(sim, 0);
    assertThat(lagging.lastExecuted()).isEqualTo(other.lastExecuted());
    assertThat(table(lagging)).isEqualTo(table(other));
  }

  /** Keeps every request a client sends. */
  private static final class RecordRequests implements Filter {
    final List<Packet> requests = new ArrayList<>();

    @Override
    public void apply(Packet packet, Outlet out) {
      Bytes frame = packet.frame();
      try {
        PbftMessage message = Frames.decode(Pbft.INSTANCE, frame.unsafeArray(), 0, frame.length());
        if (message instanceof Request && packet.from().host().startsWith("sim-client")) {
          requests.add(packet);
        }
      } catch (MalformedMessage e) {
        // not a request
      }
      out.pass(packet);
    }

    @Override
    public String toString() {
      return "RecordRequests";
    }
  }
}
