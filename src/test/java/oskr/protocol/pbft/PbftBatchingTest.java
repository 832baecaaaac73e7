package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

/** Adaptive batching under a closed loop: batches fill up without a timer. */
class PbftBatchingTest {
  /**
   * 32 closed-loop clients and {@code -b 100}: a batch of one request costs as many signatures as
   * a full one, so under load the primary must not send the first request that arrives alone
   * while the requests of the batch that just executed are still on their way.
   */
  @Test
  void aClosedLoopUnderLoadSendsFewSingleRequestBatches() {
    Options options =
        Options.defaults()
            .withScheme(Scheme.HMAC)
            .withBatchSizeMax(100)
            .withCheckpoints(64, 128);
    Net net = new Net(11, 1, options, true);
    List<Integer> batchSizes = new ArrayList<>();
    net.interceptor =
        (from, to, message) -> {
          // The primary broadcasts each PRE-PREPARE; count it once, on its way to replica 1.
          if (message instanceof PbftMessage.PrePrepare m && to.equals(net.config.replica(1))) {
            batchSizes.add(m.batch().size());
          }
          return List.of(message);
        };
    Workload workload = new Workload(net, 32, 20);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    Workload.checkAgreement(net, 0, 1, 2, 3);
    assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(32 * 20);
    // Batches of one only while the load ramps up (the first request finds nothing in flight)
    // and winds down (the last clients finish), never in between.
    List<Integer> steady = batchSizes.subList(3, batchSizes.size() - 3);
    assertThat(steady).as("batch sizes %s", batchSizes).doesNotContain(1);
  }
}
