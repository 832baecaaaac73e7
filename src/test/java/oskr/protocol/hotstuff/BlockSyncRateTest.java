package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Digest;
import oskr.sim.Simulation;

/**
 * FETCH-BLOCKS answers are rate-limited per requester: replica 2 floods replicas 0 and 1 with
 * requests for 64 blocks each, and gets no more blocks than its budget allows per refill period,
 * the rest dropped and counted; meanwhile replica 3, cut off while the others committed well over a
 * hundred blocks and healed as the flood starts, catches up by block sync from the same replicas
 * and executes what they executed.
 */
class BlockSyncRateTest {
  private static final Duration FLOOD = Duration.ofSeconds(1);
  private static final Duration EVERY = Duration.ofNanos(500_000);

  @Test
  void aFloodOfFetchesGetsBoundedAnswersWhileALaggingReplicaCatchesUp() {
    Simulation<HotStuffMessage> sim =
        HotStuffSimulationTest.builder(41)
            .opsPerClient(80)
            .options(
                HotStuffSimulationTest.options(oskr.core.crypto.Scheme.ED25519)
                    .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(1024)))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 10, HotStuffSimulationTest.LIMIT);
    Address lagging = sim.replicaAddress(3);
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < 3; i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < 4; i++) others.add(sim.clientAddress(i));
    sim.partition(Set.of(lagging), others);
    sim.runUntil(() -> sim.completedOperations() >= 150, HotStuffSimulationTest.LIMIT);
    long lagBehind = replica(sim, 0).opNumber() - replica(sim, 3).opNumber();
    assertThat(lagBehind).as("replica 3 fell behind").isGreaterThan(100);
    sim.heal();

    Digest held = replica(sim, 0).committedBlock();
    Address flooder = sim.replicaAddress(2);
    long requests = FLOOD.toNanos() / EVERY.toNanos();
    for (long i = 0; i < requests; i++) {
      for (int target = 0; target < 2; target++) {
        sim.inject(
            flooder,
            sim.replicaAddress(target),
            new HotStuffMessage.FetchBlocks(held, HotStuffMessage.FetchBlocks.COUNT_MAX, 2));
      }
      sim.runFor(EVERY);
    }

    long periods = FLOOD.toNanos() / HotStuffSettings.DEFAULTS.viewTimeout().toNanos() + 2;
    long bound = BlockSync.FETCH_BUDGET_BLOCKS * periods;
    for (int target = 0; target < 2; target++) {
      HotStuffReplica server = replica(sim, target);
      System.out.printf(
          "replica %d: %d FETCH-BLOCKS for 64 blocks from replica 2, %d blocks served to it"
              + " (bound %d), %d dropped over budget; %d blocks served to lagging replica 3%n",
          target,
          requests,
          server.blocksServedTo(2),
          bound,
          server.drops().get(BlockSync.OVER_BUDGET),
          server.blocksServedTo(3));
      assertThat(server.blocksServedTo(2))
          .as("blocks served to the flooder")
          .isLessThanOrEqualTo(bound);
      assertThat(server.drops().get(BlockSync.OVER_BUDGET)).isGreaterThan(requests / 2);
    }
    HotStuffSimulationTest.runAndCheck(sim, HotStuffSimulationTest.all());
    assertThat(replica(sim, 3).opNumber()).as("the lagging replica caught up").isEqualTo(4 * 80);
  }

  private static HotStuffReplica replica(Simulation<HotStuffMessage> sim, int index) {
    return HotStuffSimulationTest.replica(sim, index);
  }
}
