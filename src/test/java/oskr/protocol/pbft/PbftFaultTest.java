package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

/** Named fault scenarios on the deterministic in-test network, each seeded and reproducible. */
class PbftFaultTest {
  static Options options() {
    return Options.defaults().withScheme(Scheme.ED25519).withBatchSizeMax(4)
        .withCheckpoints(8, 16);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void dropsDuplicatesAndReorderingKeepAgreement(long seed) {
    Net net = new Net(seed, 1, options(), true);
    net.dropRate = 0.03;
    net.duplicateRate = 0.05;
    net.delayMaxMicros = 20_000; // far beyond the gap between messages: heavy reordering
    Workload workload = new Workload(net, 3, 30);
    workload.start();
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(120)))
        .as("progress, completed %d", workload.completed()).isTrue();
    Workload.checkAgreement(net, 0, 1, 2, 3);
  }

  @Test
  void primaryCrashLeadsToViewChangeAndProgress() {
    Net net = new Net(21, 1, options(), true);
    Workload workload = new Workload(net, 3, 40);
    workload.start();
    net.runUntil(() -> workload.completed() >= 20, Duration.ofSeconds(10));
    net.replicas.get(0).crashed = true;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    for (int i = 1; i < 4; i++) assertThat(net.replica(i).view()).isEqualTo(1);
    Workload.checkAgreement(net, 1, 2, 3);
  }

  @Test
  void twoViewChangesInARowWhenTheNextPrimaryIsDownToo() {
    Net net = new Net(22, 1, options(), true);
    Workload workload = new Workload(net, 3, 40);
    workload.start();
    net.runUntil(() -> workload.completed() >= 20, Duration.ofSeconds(10));
    net.replicas.get(0).crashed = true;
    net.replicas.get(1).crashed = true; // f = 1 exceeded for liveness only while both are down
    net.runFor(Duration.ofMillis(900)); // view 1's primary never answers: on to view 2
    net.replicas.get(1).crashed = false;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).isTrue();
    assertThat(net.replica(2).view()).isGreaterThanOrEqualTo(2);
    assertThat(net.replica(2).view()).isEqualTo(net.replica(3).view());
    Workload.checkAgreement(net, 1, 2, 3);
  }
}
