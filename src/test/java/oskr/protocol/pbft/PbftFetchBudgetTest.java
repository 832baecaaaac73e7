package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.Address;
import oskr.core.crypto.Scheme;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.sim.Filter;
import oskr.sim.Packet;
import oskr.sim.Simulation;

/**
 * FETCH-LOG and FETCH-STATE cannot amplify traffic: a faulty replica that floods a correct one with
 * them gets, per period, the answers to {@link FetchBudget#LOGS_PER_PERIOD} FETCH-LOGs and {@link
 * FetchBudget#CHUNKS_PER_PERIOD} chunks; the rest is dropped and counted.
 */
class PbftFetchBudgetTest {
  private static final int FLOOD = 1000;

  /** Passes every packet; counts the answers replica 0 sends replica 3. */
  private static final class Answers implements Filter {
    private final Address from;
    private final Address to;
    long committedProofs;
    long stateChunks;
    long messages;

    Answers(Address from, Address to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public void apply(Packet packet, Outlet out) {
      if (packet.from().equals(from) && packet.to().equals(to)) {
        messages++;
        if (PbftStateTransferTest.carries(packet, CommittedProof.class)) committedProofs++;
        if (PbftStateTransferTest.carries(packet, StateChunk.class)) stateChunks++;
      }
      out.pass(packet);
    }

    @Override
    public String toString() {
      return "count answers " + from + " -> " + to;
    }
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aFloodOfFetchesGetsOnlyTheBoundedAnswers(Scheme scheme) {
    Answers answers =
        new Answers(
            oskr.sim.SimulationBuilder.replicaAddress(0),
            oskr.sim.SimulationBuilder.replicaAddress(3));
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(46, 4, 1, scheme)
            .opsPerClient(40)
            .app(i -> new LogApp(false, 100_000))
            .filter(answers)
            .build();
    PbftReplica target = PbftSimulationTest.replica(sim, 0);
    sim.runUntil(
        () -> target.checkpoints.stableTree() != null && target.logSize() >= 4,
        Duration.ofSeconds(20));
    long stable = target.checkpoints.stableSeq();
    int window = target.logSize() + 8; // the log above the stable checkpoint and K below it
    long before = answers.messages;
    Address faulty = sim.replicaAddress(3);
    for (int i = 0; i < FLOOD; i++) {
      sim.inject(faulty, sim.replicaAddress(0), new FetchLog(0, 3));
      sim.inject(faulty, sim.replicaAddress(0), new FetchState(stable, i % 3, 3));
    }
    long proofsBefore = answers.committedProofs;
    long chunksBefore = answers.stateChunks;
    sim.runFor(Duration.ofMillis(100)); // within one period (the resend timeout, 200 ms)
    long proofs = answers.committedProofs - proofsBefore;
    long chunks = answers.stateChunks - chunksBefore;
    assertThat(chunks).isPositive().isLessThanOrEqualTo(FetchBudget.CHUNKS_PER_PERIOD);
    assertThat(proofs).isPositive().isLessThanOrEqualTo(FetchBudget.LOGS_PER_PERIOD * window);
    // Every message 0 sent 3 meanwhile: the answers, and the normal case's few messages.
    assertThat(answers.messages - before)
        .isLessThan(
            FetchBudget.CHUNKS_PER_PERIOD + 3L * FetchBudget.LOGS_PER_PERIOD * window + 200);
    assertThat(target.drops().get(FetchBudget.SPENT))
        .isGreaterThanOrEqualTo(
            2L * FLOOD - FetchBudget.CHUNKS_PER_PERIOD - FetchBudget.LOGS_PER_PERIOD);
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
  }
}
