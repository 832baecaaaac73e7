package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/** Adaptive batching under a closed loop: batches fill up without a timer. */
class PbftBatchingTest {
  /** Batches of one may appear while 32 clients ramp up: within the first this many batches. */
  static final int RAMP_UP_BATCHES = 16;

  /**
   * 32 closed-loop clients and {@code -b 100}: a batch of one request costs as much agreement as a
   * full one, so under load the primary must not send the first request that arrives alone while
   * the requests of the batch that just executed are still on their way. The rule that closed a
   * batch at once whenever fewer than two were in flight alternated batches of one with large ones
   * for the whole run (62 % of the batches on a real cluster, docs/pbft-performance.md); now they
   * appear only while the load ramps up (the first requests find nothing in flight; in 30 seeds the
   * last one came at batch 13 of ~65) and winds down (the last clients finish).
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void aClosedLoopUnderLoadSendsSingleRequestBatchesOnlyWhileRampingUp(long seed) {
    Options options =
        Options.defaults()
            .withScheme(Scheme.HMAC)
            .withBatchSizeMax(100)
            .withSettings(PbftSettings.checkpoints(64, 128));
    List<Integer> batchSizes = new ArrayList<>();
    // The primary broadcasts each PRE-PREPARE; count it once, on its way to replica 1.
    Rewrite countBatches =
        Rewrite.messages(
            "count batches",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (message instanceof PbftMessage.PrePrepare m
                  && packet.to().equals(SimulationBuilder.replicaAddress(1))) {
                batchSizes.add(m.batch().size());
              }
              return message;
            });
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(seed, 4, 1, Scheme.HMAC)
            .options(options)
            .clients(32)
            .opsPerClient(20)
            .filter(countBatches)
            .build();
    PbftSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3));
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(32 * 20);
    assertThat(batchSizes.size()).isGreaterThan(2 * RAMP_UP_BATCHES);
    List<Integer> steady = batchSizes.subList(RAMP_UP_BATCHES, batchSizes.size() - 3);
    assertThat(steady).as("batch sizes %s", batchSizes).doesNotContain(1);
  }
}
