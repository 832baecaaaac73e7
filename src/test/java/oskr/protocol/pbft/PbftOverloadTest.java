package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.ClientOperation;
import oskr.sim.Simulation;

/**
 * Overload never causes a view change. 32 closed-loop clients against a cluster that holds at most
 * L = 8 batches of one request in flight ({@code -b 1}, K = 4), with jobs (signing, MACs) taking up
 * to 20 ms: four times as many requests wait as the cluster can order at once, so requests queue at
 * the primary past the clients' resend timeout, clients resend to every replica and backups relay
 * and start their view-change timers, which expire before a typical request executes. The primary
 * is correct and keeps executing: the view must stay 0 and every second must complete operations.
 * Fails if a backup drops a PRE-PREPARE above its high watermark (under load the primary's
 * checkpoint becomes stable first, and a sequence number nobody pre-prepared stalls every backup),
 * or if a backup's timer measured one request's wait rather than the primary's progress.
 */
class PbftOverloadTest {
  static final int CLIENTS = 32;
  static final int SECONDS = 8;

  /** Below the requests' median latency here: requests wait past a backup's view-change timer. */
  static final Duration VIEW_CHANGE_TIMEOUT = Duration.ofMillis(150);

  static Options overloaded(Scheme scheme) {
    return Options.defaults()
        .withScheme(scheme)
        .withBatchSizeMax(1)
        .withSettings(PbftSettings.checkpoints(4, 8).withViewChangeTimeout(VIEW_CHANGE_TIMEOUT));
  }

  static long medianLatencyNanos(Simulation<PbftMessage> sim) {
    long[] latencies =
        sim.history().stream()
            .filter(ClientOperation::isCompleted)
            .mapToLong(op -> op.completedNanos() - op.invokedNanos())
            .sorted()
            .toArray();
    return latencies[latencies.length / 2];
  }

  @ParameterizedTest
  @MethodSource("oskr.protocol.pbft.PbftSimulationTest#schemes")
  void overloadKeepsTheViewAndThroughputContinues(Scheme scheme) {
    for (long seed = 1; seed <= 3; seed++) {
      Simulation<PbftMessage> sim =
          PbftSimulationTest.builder(seed, 4, 1, scheme)
              .options(overloaded(scheme))
              .clients(CLIENTS)
              .opsPerClient(Long.MAX_VALUE)
              .jobDelayMax(Duration.ofMillis(20))
              .build();
      long completed = 0;
      for (int second = 1; second <= SECONDS; second++) {
        sim.runFor(Duration.ofSeconds(1));
        long inSecond = sim.completedOperations() - completed;
        completed = sim.completedOperations();
        assertThat(inSecond)
            .as("seed %d: operations completed in second %d", seed, second)
            .isPositive();
        for (int i = 0; i < 4; i++) {
          assertThat(PbftSimulationTest.replica(sim, i).view())
              .as("seed %d: replica %d's view after %d s", seed, i, second)
              .isZero();
        }
      }
      // Overloaded indeed: requests waited longer than the view-change timeout, clients resent,
      // and backups relayed what the primary had already queued.
      assertThat(medianLatencyNanos(sim))
          .as("seed %d: median latency", seed)
          .isGreaterThan(VIEW_CHANGE_TIMEOUT.toNanos());
      assertThat(PbftSimulationTest.replica(sim, 0).drops().get(Requests.REQUEST_IN_PROGRESS))
          .as("seed %d: relayed requests already in progress at the primary", seed)
          .isPositive();
    }
  }
}
