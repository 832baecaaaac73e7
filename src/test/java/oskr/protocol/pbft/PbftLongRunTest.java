package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;

/**
 * A long run on the simulator: garbage collection at checkpoints keeps every replica's memory flat,
 * however many requests go by.
 */
class PbftLongRunTest {
  /** 100,000 requests: the log never holds more than the watermark window (memory stays flat). */
  @Test
  void hundredThousandRequestsKeepTheLogWithinTheWatermarkWindow() {
    Options options =
        Options.defaults()
            .withScheme(Scheme.HMAC)
            .withBatchSizeMax(100)
            .withSettings(PbftSettings.checkpoints(32, 64));
    LogApp[] apps = new LogApp[4];
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(51, 4, 1, Scheme.HMAC)
            .options(options)
            .clients(200)
            .opsPerClient(500)
            .app(i -> apps[i] = new LogApp(false))
            .maxEvents(Long.MAX_VALUE)
            .build();
    int[] logMax = new int[1];
    int[] checkpointEntriesMax = new int[1];
    // Sampled before every event, so no peak between two events goes unseen.
    RunStatus status =
        sim.runUntil(
            () -> {
              for (int i = 0; i < 4; i++) {
                PbftReplica replica = PbftSimulationTest.replica(sim, i);
                logMax[0] = Math.max(logMax[0], replica.logSize());
                checkpointEntriesMax[0] =
                    Math.max(checkpointEntriesMax[0], replica.checkpoints.memoryEntries());
              }
              return sim.allClientsDone();
            },
            Duration.ofSeconds(600));
    assertThat(status).as("completed %d", sim.completedOperations()).isEqualTo(RunStatus.SATISFIED);
    PbftSimulationTest.check(sim, Set.of(0, 1, 2, 3));
    assertThat(sim.completedOperations()).isEqualTo(100_000);
    assertThat(logMax[0]).isLessThanOrEqualTo(PbftSettings.of(options).watermarkWindow());
    assertThat(checkpointEntriesMax[0])
        .isLessThanOrEqualTo(
            2
                * (PbftSettings.of(options).watermarkWindow()
                        / PbftSettings.of(options).checkpointInterval()
                    + 2));
    for (int i = 0; i < 4; i++) {
      PbftReplica replica = PbftSimulationTest.replica(sim, i);
      assertThat(replica.checkpoints.stableSeq()).isGreaterThan(replica.lastExecuted() - 64);
      assertThat(replica.execution.clientRecords.size()).isEqualTo(200);
      assertThat(apps[i].chain()).isEqualTo(apps[0].chain());
      assertThat(apps[i].count()).isEqualTo(100_000);
    }
  }
}
