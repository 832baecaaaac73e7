package oskr.sim.dst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.FaultModel;
import oskr.protocol.Randomness;
import oskr.protocol.SimulationTarget;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.registry.ProtocolRegistry;
import oskr.sim.SimulationBuilder;

/** The scenario generator: reproducible, within the fault model, and varied across seeds. */
class ScenarioTest {
  private static final SimulationTarget<?> PLAIN =
      ProtocolRegistry.findTarget(Unreplicated.PLAIN.name()).orElseThrow();

  /** A made-up BFT registration, for the generator only: f = 2, state loss, one adapted lie. */
  private static final SimulationTarget<UnreplicatedMessage> BFT =
      SimulationTarget.of(Unreplicated.PLAIN, FaultModel.byzantine(2, true))
          .withAdapter(
              new ByzantineAdapter<>() {
                @Override
                public Set<Behaviour> behaviours() {
                  return EnumSet.of(Behaviour.FALSE_VIEW);
                }

                @Override
                public UnreplicatedMessage rewrite(
                    Behaviour behaviour,
                    UnreplicatedMessage message,
                    int replica,
                    Address to,
                    Crypto crypto,
                    Randomness random) {
                  return message;
                }
              });

  @Test
  void oneSeedDrawsOneScenario() {
    for (long seed = 1; seed <= 50; seed++) {
      assertThat(Scenario.draw(BFT, seed)).isEqualTo(Scenario.draw(BFT, seed));
    }
  }

  @Test
  void unreplicatedScenariosStayInsideItsModel() {
    for (long seed = 1; seed <= 500; seed++) {
      Scenario scenario = Scenario.draw(PLAIN, seed);
      assertThat(scenario.replicas()).isEqualTo(1);
      assertThat(scenario.byzantine()).isEmpty();
      assertThat(scenario.episodes())
          .noneMatch(e -> e instanceof Episode.Amnesia a && isReplica(a.node()));
      assertThat(scenario.episodes()).allMatch(e -> withinPhase(e, scenario));
    }
  }

  @Test
  void bftScenariosHaveAtMostFFaultyReplicasAndUseTheWholeLibrary() {
    Set<Behaviour> drawn = EnumSet.noneOf(Behaviour.class);
    Set<Class<?>> episodeKinds = new HashSet<>();
    boolean amnesia = false;
    for (long seed = 1; seed <= 500; seed++) {
      Scenario scenario = Scenario.draw(BFT, seed);
      assertThat(scenario.replicas()).isEqualTo(7);
      Set<Address> faulty = new HashSet<>();
      scenario.byzantine().keySet().forEach(r -> faulty.add(SimulationBuilder.replicaAddress(r)));
      for (Episode episode : scenario.episodes()) {
        episodeKinds.add(episode.getClass());
        if (episode instanceof Episode.Amnesia a && isReplica(a.node())) {
          faulty.add(a.node());
          amnesia = true;
        }
      }
      assertThat(faulty).as(String.join("\n", scenario.describe())).hasSizeLessThanOrEqualTo(2);
      drawn.addAll(scenario.byzantine().values());
      for (var entry : scenario.byzantine().entrySet()) {
        boolean twins = entry.getValue() == Behaviour.TWINS;
        assertThat(scenario.twins().containsKey(entry.getKey())).isEqualTo(twins);
        if (twins) {
          assertThat(scenario.twins().get(entry.getKey()))
              .doesNotContain(SimulationBuilder.replicaAddress(entry.getKey()));
        }
      }
    }
    assertThat(drawn)
        .containsExactlyInAnyOrder(
            Behaviour.SILENT,
            Behaviour.DELAY,
            Behaviour.REPLAY,
            Behaviour.SUBSET,
            Behaviour.CORRUPT,
            Behaviour.FALSE_VIEW,
            Behaviour.TWINS);
    assertThat(amnesia).isTrue();
    assertThat(episodeKinds)
        .containsExactlyInAnyOrder(Episode.Cut.class, Episode.Pause.class, Episode.Amnesia.class);
  }

  @Test
  void theFaultMixVariesWithTheSeed() {
    Set<String> mixes = new HashSet<>();
    boolean oneWay = false;
    boolean skew = false;
    for (long seed = 1; seed <= 200; seed++) {
      Scenario scenario = Scenario.draw(PLAIN, seed);
      NetworkFaults network = scenario.network();
      mixes.add(
          (network.drop() > 0)
              + " "
              + (network.duplicate() > 0)
              + " "
              + (network.reorder() > 0)
              + " "
              + !network.delayJitter().isZero());
      oneWay |=
          scenario.episodes().stream().anyMatch(e -> e instanceof Episode.Cut c && c.oneWay());
      skew |= !scenario.timerSkews().isEmpty();
    }
    assertThat(mixes).hasSize(16);
    assertThat(oneWay).isTrue();
    assertThat(skew).isTrue();
  }

  private static boolean isReplica(Address node) {
    return node.host().startsWith("sim-replica-");
  }

  private static boolean withinPhase(Episode episode, Scenario scenario) {
    return !episode.start().isNegative()
        && episode.start().compareTo(episode.end()) < 0
        && episode.end().compareTo(scenario.faultPhase()) < 0;
  }
}
