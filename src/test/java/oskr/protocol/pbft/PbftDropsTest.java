package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.protocol.Options;
import oskr.protocol.Rejected;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.sim.Simulation;

/**
 * One replica of a simulated cluster (no clients) fed messages directly, past the network and its
 * verification: each kind of bad input is dropped and counted, and changes nothing.
 */
class PbftDropsTest {
  private final Simulation<PbftMessage> sim =
      Simulation.builder(Pbft.INSTANCE, 3)
          .replicas(4, 1)
          .clients(0)
          .options(Options.defaults().withSettings(PbftSettings.checkpoints(4, 8)))
          .build();
  private final Config config = sim.config();
  private final PbftReplica backup = PbftSimulationTest.replica(sim, 1);
  private final Address primary = config.replica(0);
  private final Digest digest = new Digest(1, 2, 3, 4);

  private long dropped(String reason) {
    return backup.drops().get(reason);
  }

  @Test
  void agreementMessagesForAnotherViewAreDropped() {
    backup.onMessage(primary, new Prepare(5, 1, digest, 2, Bytes.EMPTY));
    backup.onMessage(primary, new Commit(3, 1, digest, 2, Bytes.EMPTY));
    assertThat(dropped(PbftReplica.WRONG_VIEW)).isEqualTo(2);
    assertThat(backup.logSize()).isZero();
  }

  @Test
  void sequenceNumbersOutsideTheWatermarksAreDropped() {
    backup.onMessage(primary, new Prepare(0, 9, digest, 2, Bytes.EMPTY)); // high watermark 8
    backup.onMessage(primary, new PrePrepare(0, 100, digest, List.of(), Bytes.EMPTY));
    assertThat(dropped(PbftReplica.OUTSIDE_WATERMARKS)).isEqualTo(2);
    backup.onMessage(primary, new Prepare(0, 8, digest, 2, Bytes.EMPTY));
    assertThat(backup.logSize()).isEqualTo(1);
  }

  @Test
  void aSecondPrePrepareWithAnotherDigestIsDroppedAsConflicting() {
    backup.onMessage(primary, new PrePrepare(0, 1, digest, List.of(), Bytes.EMPTY));
    backup.onMessage(primary, new PrePrepare(0, 1, new Digest(9, 9, 9, 9), List.of(), Bytes.EMPTY));
    backup.onMessage(primary, new PrePrepare(0, 1, digest, List.of(), Bytes.EMPTY));
    assertThat(dropped(PbftReplica.CONFLICTING_PRE_PREPARE)).isEqualTo(1);
    assertThat(dropped(PbftReplica.DUPLICATE)).isEqualTo(1);
    sim.runFor(Duration.ofMillis(1)); // a worker checks the batch's requests, then it is accepted
    assertThat(backup.existingSlot(1).prePrepare().digest()).isEqualTo(digest);
  }

  @Test
  void thePrimaryDropsItsOwnPrePrepareReplayedToIt() {
    PbftReplica primaryReplica = PbftSimulationTest.replica(sim, 0);
    primaryReplica.onMessage(primary, new PrePrepare(0, 1, digest, List.of(), Bytes.EMPTY));
    assertThat(primaryReplica.drops().get(PbftReplica.OWN_PRE_PREPARE)).isEqualTo(1);
    assertThat(primaryReplica.logSize()).isZero();
  }

  @Test
  void checkpointsOffTheIntervalOrConflictingAreDropped() {
    backup.onMessage(primary, new Checkpoint(3, digest, 0, Bytes.EMPTY));
    assertThat(dropped(Checkpoints.OFF_INTERVAL)).isEqualTo(1);
    backup.onMessage(primary, new Checkpoint(4, digest, 0, Bytes.EMPTY));
    backup.onMessage(primary, new Checkpoint(4, new Digest(0, 0, 0, 1), 0, Bytes.EMPTY));
    assertThat(dropped(Checkpoints.CONFLICTING_CHECKPOINT)).isEqualTo(1);
  }

  @Test
  void backupRelaysRequestsToThePrimaryAndStartsItsViewChangeTimer() {
    Request request = new Request(5, 1, new Address("10.0.1.1", 9000), Bytes.utf8("op"));
    backup.onMessage(request.client(), request);
    assertThat(backup.requests.awaitsAny()).isTrue();
    // Nothing executes (the primary is crashed): the timer fires and the backup moves to view 1.
    sim.crash(primary, true);
    sim.runFor(Duration.ofMillis(600));
    assertThat(backup.view()).isEqualTo(1);
    assertThat(backup.isNormal()).isFalse();
  }

  @Test
  void verifyRejectsNonMembersAndWrongSenders() {
    Crypto crypto = new Crypto(sim.keys().replica(1));
    Prepare fromNobody = new Prepare(0, 1, digest, 9, Bytes.EMPTY);
    assertThatThrownBy(() -> Pbft.INSTANCE.verify(fromNobody, primary, config, crypto))
        .isInstanceOf(Rejected.class)
        .hasMessage(Pbft.NOT_MEMBER);
    Prepare claimsTwo = new Prepare(0, 1, digest, 2, Bytes.EMPTY);
    assertThatThrownBy(() -> Pbft.INSTANCE.verify(claimsTwo, primary, config, crypto))
        .isInstanceOf(Rejected.class)
        .hasMessage(Pbft.WRONG_SENDER);
    Prepare unsigned = new Prepare(0, 1, digest, 2, Bytes.EMPTY);
    assertThatThrownBy(() -> Pbft.INSTANCE.verify(unsigned, config.replica(2), config, crypto))
        .isInstanceOf(Rejected.class)
        .hasMessage(Pbft.BAD_SIGNATURE);
  }
}
