package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.Address;
import oskr.core.crypto.Scheme;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Simulation;

/**
 * Named fault scenarios on the simulator, each seeded and reproducible, beyond those of {@link
 * PbftSimulationTest} (which has the crashed primaries): progress while the network keeps losing,
 * copying and reordering messages, and a replica that lost its state rejoining.
 */
class PbftFaultTest {
  /** Unlike the healed run in {@link PbftSimulationTest}, the faults last to the end. */
  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void dropsDuplicatesAndReorderingKeepAgreement(long seed) {
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(seed, 4, 1, Scheme.ED25519)
            .filter(new Drop(0.03))
            .filter(new Duplicate(0.05))
            // Far beyond the gap between messages: heavy reordering.
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(20)))
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(120));
  }

  /**
   * Replica 0 crashes, the others move to view 1; it restarts without its state, catches up with
   * the view (f+1 replicas show a later one) and the state; then view 1's primary crashes, and the
   * view change to 2 needs replica 0.
   */
  @Test
  void aReplicaRestartedWithoutStateRejoinsTheViewAndTheState() {
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(23, 4, 1, Scheme.ED25519).opsPerClient(60).build();
    Address first = sim.replicaAddress(0);
    sim.runUntil(() -> sim.completedOperations() >= 20, Duration.ofSeconds(10));
    sim.crash(first, false);
    sim.runUntil(() -> sim.completedOperations() >= 60, Duration.ofSeconds(30));
    assertThat(PbftSimulationTest.replica(sim, 1).view()).isEqualTo(1);
    sim.restart(first);
    sim.runUntil(() -> sim.completedOperations() >= 100, Duration.ofSeconds(30));
    assertThat(PbftSimulationTest.replica(sim, 0).view()).isEqualTo(1);
    sim.crash(sim.replicaAddress(1), true);
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 2, 3), Duration.ofSeconds(60));
    assertThat(PbftSimulationTest.replica(sim, 0).view()).isEqualTo(2);
    assertThat(PbftSimulationTest.replica(sim, 0).lastExecuted()).isGreaterThan(100 / 4);
  }
}
