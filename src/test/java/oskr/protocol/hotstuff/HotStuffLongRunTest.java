package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;

/**
 * A long run on the simulator: pruning committed blocks keeps every replica's block store flat,
 * however many requests go by.
 */
class HotStuffLongRunTest {
  /** 100,000 requests: no replica ever holds more than the retained blocks and a few in flight. */
  @Test
  void hundredThousandRequestsKeepTheBlockStoreBounded() {
    int retained = 32;
    Options options =
        Options.defaults()
            .withScheme(Scheme.HMAC)
            .withBatchSizeMax(100)
            .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(retained));
    Simulation<HotStuffMessage> sim =
        Simulation.builder(HotStuff.INSTANCE, 51)
            .replicas(4, 1)
            .options(options)
            .clients(200)
            .opsPerClient(500)
            .maxEvents(Long.MAX_VALUE)
            .build();
    int[] blocksMax = new int[1];
    RunStatus status =
        sim.runUntil(
            () -> {
              for (int i = 0; i < 4; i++) {
                blocksMax[0] =
                    Math.max(blocksMax[0], HotStuffSimulationTest.replica(sim, i).blockCount());
              }
              return sim.allClientsDone();
            },
            Duration.ofSeconds(600));
    assertThat(status).as("completed %d", sim.completedOperations()).isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofMillis(500));
    HotStuffSimulationTest.check(sim, HotStuffSimulationTest.all());
    assertThat(sim.completedOperations()).isEqualTo(100_000);
    assertThat(blocksMax[0]).as("blocks held at most").isLessThanOrEqualTo(retained + 8);
    for (int i = 0; i < 4; i++) {
      assertThat(HotStuffSimulationTest.replica(sim, i).opNumber()).isEqualTo(100_000);
    }
  }
}
