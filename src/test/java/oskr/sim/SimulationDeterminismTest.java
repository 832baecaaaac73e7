package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.sim.ProbeProtocol.Note;

class SimulationDeterminismTest {
  /** A run with every kind of event: faults, crashes, a partition, restarts. */
  private static Simulation<Note> run(long seed, List<String> lines) {
    ProbeProtocol probe = new ProbeProtocol();
    Simulation<Note> sim =
        Simulation.builder(probe, seed)
            .clients(3)
            .opsPerClient(10)
            .traceSink(lines::add)
            .filter(new Drop(0.1))
            .filter(new Duplicate(0.1))
            .filter(new Reorder(0.3, Duration.ofMillis(5)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(2)).onlyIf(p -> p.id() % 2 == 0))
            .build();
    sim.after(Duration.ofMillis(3), "crash", () -> sim.crash(sim.replicaAddress(0), true));
    sim.after(Duration.ofMillis(60), "restart", () -> sim.restart(sim.replicaAddress(0)));
    sim.after(
        Duration.ofMillis(80),
        "partition",
        () -> sim.partition(Set.of(sim.replicaAddress(0)), Set.of(sim.clientAddress(1))));
    sim.after(Duration.ofMillis(200), "heal", sim::heal);
    sim.runUntil(sim::allClientsDone, Duration.ofSeconds(10));
    return sim;
  }

  @Test
  void oneSeedGivesOneRunEventForEvent() {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    Simulation<Note> a = run(11, first);
    Simulation<Note> b = run(11, second);
    assertThat(a.allClientsDone()).isTrue();
    assertThat(second).isEqualTo(first);
    assertThat(b.traceHash()).isEqualTo(a.traceHash());
    assertThat(b.history()).isEqualTo(a.history());
    assertThat(b.executions()).isEqualTo(a.executions());
  }

  @Test
  void anotherSeedGivesAnotherRun() {
    assertThat(run(12, new ArrayList<>()).traceHash())
        .isNotEqualTo(run(11, new ArrayList<>()).traceHash());
  }

  @Test
  void traceLinesCarryNoIdentityHashesThatVaryBetweenJvmRuns() {
    List<String> lines = new ArrayList<>();
    run(13, lines);
    assertThat(lines)
        .hasSizeGreaterThan(100)
        .noneMatch(line -> line.matches(".*(@[0-9a-f]{5,}|\\$\\$Lambda).*"));
  }
}
