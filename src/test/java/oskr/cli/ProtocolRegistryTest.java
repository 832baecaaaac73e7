package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.protocol.Protocol;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;
import picocli.CommandLine;

/**
 * One list of protocols feeds everything: the CLI's {@code -m} of every subcommand, {@code oskr
 * simulate}'s targets, the DST suite ({@code DstSuiteTest} draws its targets from the registry) and
 * the end-to-end test ({@code EveryProtocolEndToEndTest} likewise). Fails when a registered
 * protocol is missing from any of them.
 */
class ProtocolRegistryTest {
  @Test
  void everyProtocolDeclaresSimulationTargetsOfItsOwn() {
    List<String> targets = new ArrayList<>();
    for (Protocol<?> protocol : ProtocolRegistry.all()) {
      assertThat(protocol.simulationTargets()).as(protocol.name()).isNotEmpty();
      for (SimulationTarget<?> target : protocol.simulationTargets()) {
        assertThat(target.protocol()).isSameAs(protocol);
        assertThat(target.name()).startsWith(protocol.name());
        assertThat(target.faultModel().n()).as(target.name()).isPositive();
        targets.add(target.name());
      }
    }
    assertThat(ProtocolRegistry.targetNames()).containsExactlyElementsOf(targets);
    assertThat(targets).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @ValueSource(strings = {"replica", "client", "bench"})
  void everyRunningSubcommandOffersEveryProtocol(String subcommand) {
    assertThat(candidates(subcommand)).containsAll(ProtocolRegistry.names());
  }

  @Test
  void simulateOffersEveryTarget() {
    assertThat(candidates("simulate")).containsExactlyElementsOf(ProtocolRegistry.targetNames());
  }

  @Test
  void everyProtocolIsFoundByItsName() {
    for (Protocol<?> protocol : ProtocolRegistry.all()) {
      assertThat(ProtocolRegistry.byName(protocol.name())).isSameAs(protocol);
    }
  }

  private static List<String> candidates(String subcommand) {
    CommandLine oskr =
        Oskr.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine command = oskr.getSubcommands().get(subcommand);
    assertThat(command).as(subcommand).isNotNull();
    List<String> names = new ArrayList<>();
    command.getCommandSpec().findOption("-m").completionCandidates().forEach(names::add);
    return names;
  }
}
