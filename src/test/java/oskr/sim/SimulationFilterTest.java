package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.sim.ProbeProtocol.Note;
import oskr.sim.ProbeProtocol.ProbeReplica;

/** Each network filter, on the probe protocol with a closed-loop workload. */
class SimulationFilterTest {
  private static final Duration LIMIT = Duration.ofSeconds(10);
  private final ProbeProtocol probe = new ProbeProtocol();

  private SimulationBuilder<Note> builder(long seed) {
    return Simulation.builder(probe, seed).clients(2).opsPerClient(5);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void dropLosesPacketsUntilHealed() {
    Simulation<Note> sim = builder(1).filter(new Drop(1.0)).build();
    assertThat(sim.runUntil(sim::allClientsDone, ms(500))).isEqualTo(RunStatus.TIME_LIMIT);
    assertThat(sim.completedOperations()).isZero();
    assertThat(sim.networkDrops().get(Drop.REASON)).isEqualTo(sim.framesSent()).isGreaterThan(4);
    sim.heal();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT))
        .as(sim.traceTail(30))
        .isEqualTo(RunStatus.SATISFIED);
    assertThat(Checks.allCompleted(sim.history())).isEmpty();
  }

  @Test
  void duplicatesExecuteTwiceWithoutAClientTableAndTheCheckerSaysSo() {
    Simulation<Note> sim =
        builder(2).filter(new Duplicate(1.0).onlyIf(p -> p.to().equals(replica0()))).build();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
    assertThat(sim.executions()).hasSize(20);
    assertThat(Checks.exactlyOnce(sim.executions()))
        .hasSize(10)
        .first()
        .asString()
        .startsWith("executed twice");
  }

  private static Address replica0() {
    return SimulationBuilder.replicaAddress(0);
  }

  @Test
  void aOneWayPartitionLetsRequestsInButNoRepliesOut() {
    Simulation<Note> sim = builder(3).build();
    sim.partitionOneWay(Set.of(replica0()), Set.of(sim.clientAddress(0), sim.clientAddress(1)));
    sim.runFor(ms(300));
    assertThat(sim.completedOperations()).isZero();
    assertThat(sim.executions()).isNotEmpty();
    assertThat(sim.networkDrops().get(Partition.REASON)).isPositive();
    sim.heal();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
  }

  @Test
  void aSymmetricPartitionCutsBothWaysOnlyBetweenItsSides() {
    Simulation<Note> sim = builder(4).build();
    Partition partition = sim.partition(Set.of(replica0()), Set.of(sim.clientAddress(0)));
    sim.runFor(ms(300));
    assertThat(sim.history())
        .filteredOn(op -> op.client() == 0)
        .noneMatch(ClientOperation::isCompleted);
    assertThat(sim.history())
        .filteredOn(op -> op.client() == 1)
        .allMatch(ClientOperation::isCompleted);
    assertThat(partition.cuts(sim.clientAddress(0), replica0())).isTrue();
    assertThat(partition.cuts(replica0(), sim.clientAddress(0))).isTrue();
    assertThat(sim.removeFilter(partition)).isTrue();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
  }

  @Test
  void delayAddsToTheBaseLatency() {
    Simulation<Note> sim =
        builder(5)
            .latency(new Latency(ms(1), Duration.ZERO))
            .filter(new Delay(ms(10), Duration.ZERO))
            .build();
    sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(sim.history())
        .allSatisfy(
            op -> assertThat(op.completedNanos() - op.invokedNanos()).isEqualTo(22_000_000));
  }

  @Test
  void reorderLetsLaterPacketsOvertake() {
    assertThat(arrivalOrder(new Reorder(0, Duration.ZERO))).isSorted();
    assertThat(arrivalOrder(new Reorder(1, ms(10))))
        .isNotEqualTo(arrivalOrder(new Reorder(0, Duration.ZERO)));
  }

  /** The values of 20 notes sent at one instant, in the order the replica got them. */
  private List<Long> arrivalOrder(Reorder reorder) {
    Simulation<Note> sim =
        Simulation.builder(new ProbeProtocol(), 6)
            .clients(0)
            .latency(new Latency(ms(1), Duration.ZERO))
            .filter(reorder)
            .build();
    Address forger = new Address("sim-forger", 1);
    for (int value = 1; value <= 20; value++)
      sim.inject(forger, replica0(), new Note(value, Bytes.EMPTY));
    sim.runFor(ms(100));
    List<Long> order = new ArrayList<>();
    for (Execution execution : sim.executions()) order.add(execution.opNumber());
    List<Long> values = new ArrayList<>();
    ProbeReplica replica = (ProbeReplica) sim.replica(0);
    for (String line : replica.log) values.add(Long.parseLong(line.split(" ")[2]));
    assertThat(order).hasSize(20);
    return values;
  }

  @Test
  void aRewriteThatForgesResultsIsCountedAndCaughtByTheChecker() {
    Rewrite forge =
        Rewrite.messages(
            "forge", probe, (packet, note, random) -> new Note(note.value(), Bytes.utf8("forged")));
    Simulation<Note> sim =
        builder(7).filter(forge.onlyIf(p -> p.from().equals(replica0()))).build();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
    assertThat(forge.rewritten()).isEqualTo(10);
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions())).hasSize(10);
    assertThat(sim.trace().tail(2_000)).anyMatch(line -> line.contains("by Rewrite(forge)"));
  }

  @Test
  void corruptedFramesAreDroppedAndCountedNeverThrown() {
    Simulation<Note> sim = builder(8).opsPerClient(50).filter(new Corrupt(0.5)).build();
    sim.runFor(Duration.ofSeconds(2));
    long malformed = 0;
    for (Address address : List.of(replica0(), sim.clientAddress(0), sim.clientAddress(1))) {
      malformed += sim.receiveDrops(address).total();
    }
    assertThat(malformed).isPositive();
    sim.heal();
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
  }

  @Test
  void aFilterThatDecidesNothingFailsTheRunWithItsSeed() {
    Simulation<Note> sim = builder(9).filter((packet, out) -> {}).build();
    assertThatThrownBy(() -> sim.runFor(ms(100)))
        .isInstanceOf(SimulationFailure.class)
        .hasMessageContaining("seed 9")
        .hasMessageContaining("neither passed nor dropped");
  }
}
