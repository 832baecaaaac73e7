package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.Address;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;
import oskr.sim.SimulationBuilder;
import oskr.sim.dst.DstResult;
import oskr.sim.dst.DstRun;
import oskr.sim.dst.NetworkFaults;
import oskr.sim.dst.Scenario;

/**
 * Twins (Bano et al., OPODIS 2021): the primary runs twice with its keys. One instance talks with
 * replica 1 and the first client, the other with replicas 2 and 3 and the other clients, so each
 * proposes its own batches for the same sequence numbers: equivocation by correct code. PBFT stays
 * safe (agreement among replicas 1 to 3, linearizable results) and live.
 */
class PbftTwinsTest {
  @ParameterizedTest
  @ValueSource(strings = {"pbft", "pbft-ed25519"})
  void aTwinnedPrimaryCannotSplitTheCorrectReplicas(String targetName) {
    SimulationTarget<?> target = ProtocolRegistry.findTarget(targetName).orElseThrow();
    for (long seed = 1; seed <= 5; seed++) {
      SortedSet<Address> side =
          new TreeSet<>(
              List.of(SimulationBuilder.replicaAddress(1), SimulationBuilder.clientAddress(0)));
      Scenario scenario =
          Scenario.draw(target, seed)
              .withByzantine(new TreeMap<>())
              .withNetwork(NetworkFaults.NONE)
              .withTwins(0, side);
      List<String> trace = new ArrayList<>();
      DstResult result = DstRun.run(target, scenario, trace::add);
      assertThat(result.passed()).as(result.report()).isTrue();
      assertThat(trace).as("both instances sent").anyMatch(line -> line.contains("twins: "));
      assertThat(trace).anyMatch(line -> line.contains("twin of sim-replica-0"));
    }
  }
}
