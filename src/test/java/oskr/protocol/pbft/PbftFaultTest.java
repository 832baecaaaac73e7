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
    return Options.defaults().withScheme(Scheme.ED25519).withBatchSizeMax(4).withCheckpoints(8, 16);
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
        .as("progress, completed %d", workload.completed())
        .isTrue();
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

  /** n = 7, f = 2: the primaries of views 0 and 1 are both down, view 2's primary takes over. */
  @Test
  void twoViewChangesInARowWhenTheNextPrimaryIsDownToo() {
    Net net = new Net(22, 2, options(), true);
    Workload workload = new Workload(net, 3, 40);
    workload.start();
    net.runUntil(() -> workload.completed() >= 20, Duration.ofSeconds(10));
    net.replicas.get(0).crashed = true;
    net.replicas.get(1).crashed = true;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).as(net.describe()).isTrue();
    for (int i = 2; i < 7; i++) assertThat(net.replica(i).view()).isEqualTo(2);
    Workload.checkAgreement(net, 2, 3, 4, 5, 6);
  }

  /**
   * Replica 0 crashes, the others move to view 1; it restarts without its state, catches up with
   * the view (f+1 replicas show a later one) and the state; then view 1's primary crashes, and the
   * view change to 2 needs replica 0.
   */
  @Test
  void aReplicaRestartedWithoutStateRejoinsTheViewAndTheState() {
    Net net = new Net(23, 1, options(), true);
    Workload workload = new Workload(net, 3, 60);
    workload.start();
    net.runUntil(() -> workload.completed() >= 20, Duration.ofSeconds(10));
    net.replicas.get(0).crashed = true;
    net.runUntil(() -> workload.completed() >= 60, Duration.ofSeconds(30));
    assertThat(net.replica(1).view()).isEqualTo(1);
    net.restartFresh(0, 0);
    net.runUntil(() -> workload.completed() >= 100, Duration.ofSeconds(30));
    assertThat(net.replica(0).view()).isEqualTo(1);
    net.replicas.get(1).crashed = true;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(60))).as(net.describe()).isTrue();
    assertThat(net.replica(0).view()).isEqualTo(2);
    assertThat(net.replica(0).lastExecuted()).isGreaterThan(100 / 4);
    Workload.checkAgreement(net, 0, 2, 3);
  }
}
