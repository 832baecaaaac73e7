package oskr.sim.dst;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.protocol.Behaviour;
import oskr.protocol.SimulationTarget;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.registry.ProtocolRegistry;
import oskr.sim.Simulation;

/**
 * The generic Byzantine behaviours against Unreplicated-signed's server (outside its fault model,
 * where they are meaningful): each really acts, a correct client is never fooled, and a server that
 * stops answering shows as a liveness violation.
 */
class ByzantineBehaviourTest {
  private static final SimulationTarget<?> SIGNED =
      ProtocolRegistry.findTarget(Unreplicated.SIGNED.name()).orElseThrow();

  private record Run(DstResult result, List<String> trace) {}

  private static Run byzantineServer(long seed, Behaviour behaviour) {
    SortedMap<Integer, Behaviour> byzantine = new TreeMap<>();
    byzantine.put(0, behaviour);
    Scenario scenario = Scenario.draw(SIGNED, seed).withByzantine(byzantine);
    List<String> trace = new ArrayList<>();
    return new Run(DstRun.run(SIGNED, scenario, trace::add), trace);
  }

  @ParameterizedTest
  @EnumSource(
      value = Behaviour.class,
      names = {"DELAY", "REPLAY", "CORRUPT"})
  void aCorrectClientIsNeverFooledAndEveryOperationCompletes(Behaviour behaviour) {
    for (long seed = 1; seed <= 8; seed++) {
      DstResult result = byzantineServer(seed, behaviour).result();
      assertThat(result.passed()).as(result.report()).isTrue();
    }
  }

  @Test
  void aSilentServerIsALivenessViolationNamingTheOutstandingOperations() {
    Run run = byzantineServer(1, Behaviour.SILENT);
    Violation violation = run.result().violation().orElseThrow();
    assertThat(violation.property()).isEqualTo(Violation.Property.LIVENESS);
    assertThat(violation.details()).anyMatch(line -> line.startsWith("outstanding: client 0"));
    assertThat(run.trace()).anyMatch(line -> line.contains("(" + Byzantine.Silent.REASON + ")"));
  }

  @Test
  void replayedRepliesAreStaleAndCorruptedOnesRejected() {
    assertThat(byzantineServer(2, Behaviour.REPLAY).trace())
        .anyMatch(line -> line.contains("copy #") && line.contains("by Replay"));
    assertThat(byzantineServer(2, Behaviour.CORRUPT).trace())
        .anyMatch(line -> line.contains("by CorruptFrames"))
        .anyMatch(line -> line.contains("rejected: bad reply signature"));
  }

  @Test
  void aServerAnsweringASubsetLeavesTheOthersWaitingButFoolsNoOne() {
    boolean someLeftOut = false;
    for (long seed = 1; seed <= 8; seed++) {
      Run run = byzantineServer(seed, Behaviour.SUBSET);
      Optional<Violation> violation = run.result().violation();
      violation.ifPresent(
          v ->
              assertThat(v.property())
                  .as(run.result().report())
                  .isEqualTo(Violation.Property.LIVENESS));
      someLeftOut |=
          run.trace().stream().anyMatch(line -> line.contains(Byzantine.SendToSubset.REASON));
    }
    assertThat(someLeftOut).isTrue();
  }

  @Test
  void aBehaviourNeedingAnAdapterIsRefusedWithoutOne() {
    Simulation<?> sim = Simulation.builder(Unreplicated.SIGNED, 1).build();
    assertThatThrownBy(() -> filterOf(sim, Behaviour.EQUIVOCATE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no adapter for EQUIVOCATE");
  }

  private static <M> void filterOf(Simulation<M> sim, Behaviour behaviour) {
    Byzantine.filter(behaviour, sim, 0, Optional.empty());
  }
}
