package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.sim.Checks;
import oskr.sim.Simulation;

/**
 * A crashed leader costs each of its later turns a quarter of the view timeout, not a whole one: a
 * leader whose last view timed out without its proposal gets a shorter one next time. Under steady
 * load with replica 0 crashed for good, the others complete well over the 38 ops a second they did
 * with a full timeout per turn.
 */
class HotStuffCrashedLeaderTest {
  @Test
  void aCrashedLeadersTurnsCostAQuarterTimeout() {
    Simulation<HotStuffMessage> sim =
        Simulation.builder(HotStuff.INSTANCE, 31)
            .replicas(4, 1)
            .clients(8)
            .opsPerClient(1_000_000)
            .options(HotStuffSimulationTest.options(Scheme.ED25519))
            .maxEvents(Long.MAX_VALUE)
            .build();
    sim.runFor(Duration.ofSeconds(2));
    sim.crash(sim.replicaAddress(0), true);
    sim.runFor(Duration.ofSeconds(1));
    long start = sim.completedOperations();
    sim.runFor(Duration.ofSeconds(1));
    long perSecond = sim.completedOperations() - start;
    System.out.printf("HotStuff, leader 0 crashed (seed 31): %d ops in a second%n", perSecond);
    assertThat(perSecond).as("ops a second with a crashed leader").isGreaterThan(100);
    assertThat(Checks.agreement(sim.executions())).isEmpty();
  }
}
