package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.Protocol;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;
import oskr.protocol.unreplicated.Unreplicated;

/** oskr bench starts the fewest replicas a protocol accepts. */
class BenchLayoutTest {
  /** Accepts exactly n = multiplier * f + extra; nothing else of it is used. */
  private record NeedsReplicas(int multiplier, int extra) implements Protocol<Object> {
    NeedsReplicas(int multiplier) {
      this(multiplier, 1);
    }

    @Override
    public String name() {
      return "needs-" + multiplier + "f+" + extra;
    }

    @Override
    public int id() {
      return 100 + multiplier;
    }

    @Override
    public boolean usesSignatures() {
      return true;
    }

    @Override
    public void checkConfig(Config config, String fileName) throws ConfigException {
      config.requireReplicas(multiplier * config.f() + extra, name(), "n", fileName);
    }

    @Override
    public Codec<Object> codec() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void verify(Object message, Address from, Config config, Crypto crypto) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Replica<Object> replica(ReplicaSetup<Object> setup) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Client<Object> client(ClientSetup<Object> setup) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<SimulationTarget<Object>> simulationTargets() {
      return List.of();
    }
  }

  @Test
  void unreplicatedRunsOneReplicaWhateverF() throws ConfigException {
    assertThat(BenchRun.layout(Unreplicated.PLAIN, 1)).isEqualTo(new BenchRun.Layout(0, 1));
    assertThat(BenchRun.layout(Unreplicated.SIGNED, 0)).isEqualTo(new BenchRun.Layout(0, 1));
  }

  @Test
  void byzantineProtocolsGet3fPlus1AndCrashProtocols2fPlus1() throws ConfigException {
    assertThat(BenchRun.layout(new NeedsReplicas(3), 1)).isEqualTo(new BenchRun.Layout(1, 4));
    assertThat(BenchRun.layout(new NeedsReplicas(3), 2)).isEqualTo(new BenchRun.Layout(2, 7));
    assertThat(BenchRun.layout(new NeedsReplicas(2), 1)).isEqualTo(new BenchRun.Layout(1, 3));
  }

  @Test
  void anUnknownRuleIsAnOperatorError() {
    assertThatThrownBy(() -> BenchRun.layout(new NeedsReplicas(5, 2), 1))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("needs-5f+2");
  }
}
