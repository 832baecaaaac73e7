package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Rejected;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.sim.Partition;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;

/**
 * A NEW-VIEW convinces by the new primary's signature, not by who sends it: a replica that never
 * heard the new primary learns the view from another replica's relay (answering its VIEW-CHANGE,
 * sent again on every retransmit tick), instead of timing out into a view nobody else moves to.
 */
class ZyzzyvaNewViewRelayTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @Test
  void aReplicaCutOffFromTheNewPrimaryInstallsTheViewFromARelay() {
    Simulation<ZyzzyvaMessage> sim = ZyzzyvaSimulationTest.builder(7, Scheme.ED25519).build();
    sim.runUntil(() -> sim.completedOperations() >= 10, LIMIT);
    Partition fromNewPrimary =
        sim.partitionOneWay(Set.of(sim.replicaAddress(1)), Set.of(sim.replicaAddress(3)));
    for (int i = 0; i < 4; i++) ZyzzyvaSimulationTest.replica(sim, i).startViewChange(1);

    RunStatus allInView1 = sim.runUntil(() -> allNormalIn(sim, 1), Duration.ofSeconds(5));

    assertThat(allInView1).as(sim.traceTail(40)).isEqualTo(RunStatus.SATISFIED);
    NewView relayed = ZyzzyvaSimulationTest.replica(sim, 3).viewChanges.installedNewView();
    assertThat(relayed.replica()).isEqualTo(1);
    Crypto crypto = sim.crypto(sim.keys().replica(3));
    assertThatCode(
            () -> Zyzzyva.INSTANCE.verify(relayed, sim.replicaAddress(2), sim.config(), crypto))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> Zyzzyva.INSTANCE.verify(relayed, sim.clientAddress(0), sim.config(), crypto))
        .isInstanceOf(Rejected.class)
        .hasMessage(Zyzzyva.WRONG_SENDER);
    sim.removeFilter(fromNewPrimary);
    ZyzzyvaSimulationTest.runAndCheck(sim, Set.of(0, 1, 2, 3));
  }

  private static boolean allNormalIn(Simulation<ZyzzyvaMessage> sim, long view) {
    for (int i = 0; i < 4; i++) {
      ZyzzyvaReplica replica = ZyzzyvaSimulationTest.replica(sim, i);
      if (replica.view() != view || replica.status != ReplicaCore.Status.NORMAL) return false;
    }
    return true;
  }
}
