package oskr.protocol.vr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Crypto;
import oskr.protocol.Options;
import oskr.protocol.RecordingContext;
import oskr.protocol.Rejected;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.Prepare;
import oskr.protocol.vr.VrMessage.PrepareOk;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;
import oskr.protocol.vr.VrMessage.StartViewChange;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/**
 * One VR replica (n = 3, f = 1) fed messages by hand through a recording context: the rules of the
 * paper one at a time, and every drop counted under its reason.
 */
class VrReplicaTest {
  private static final Config CONFIG = SimulationBuilder.replicaConfig(3, 1);
  private static final Address CLIENT = SimulationBuilder.clientAddress(0);

  private RecordingContext<VrMessage> context;

  private VrReplica replica(int index, ReplicaSetup.Start start) {
    context = new RecordingContext<>(CONFIG.replica(index), CONFIG);
    Options options = Options.defaults().withBatchSizeMax(4);
    VrReplica replica =
        new VrReplica(
            new ReplicaSetup<>(CONFIG, index, new ChainApp(), options, context, start),
            Vr.PlantedBug.NONE);
    replica.onStart();
    return replica;
  }

  private static Request request(long number) {
    return new Request(42, number, Bytes.utf8("op" + number));
  }

  @Test
  void thePrimaryCommitsWithOneBackupsPrepareOkExecutesAndReplies() {
    VrReplica primary = replica(0, ReplicaSetup.Start.FRESH);
    primary.onMessage(CLIENT, request(1));
    assertThat(context.takeSent())
        .extracting(sent -> sent.message())
        .containsExactly(
            new Prepare(0, 1, 0, List.of(request(1))), new Prepare(0, 1, 0, List.of(request(1))));
    assertThat(primary.executed()).isZero();
    primary.onMessage(CONFIG.replica(1), new PrepareOk(0, 1, 1));
    assertThat(primary.commitNumber()).isEqualTo(1);
    assertThat(primary.executed()).isEqualTo(1);
    assertThat(context.takeSent())
        .extracting(sent -> sent.message())
        .containsExactly(new Reply(0, 42, 1, Bytes.utf8("1:op1"), 0));
    primary.onMessage(CONFIG.replica(1), new PrepareOk(0, 1, 1));
    assertThat(primary.drops().get(VrReplica.DUPLICATE)).isEqualTo(1);
    primary.onMessage(CLIENT, request(1)); // a retry: the reply again, no second execution
    assertThat(context.takeSent())
        .extracting(sent -> sent.message())
        .containsExactly(new Reply(0, 42, 1, Bytes.utf8("1:op1"), 0));
    assertThat(primary.log().lastOp()).isEqualTo(1);
  }

  @Test
  void aBackupTakesPreparesInOpOrderAndDropsStaleAndDuplicateOnes() {
    VrReplica backup = replica(1, ReplicaSetup.Start.FRESH);
    Address primary = CONFIG.replica(0);
    backup.onMessage(primary, new Prepare(0, 2, 0, List.of(request(2))));
    assertThat(backup.log().lastOp()).as("held: op 1 is missing").isZero();
    backup.onMessage(primary, new Prepare(0, 1, 0, List.of(request(1))));
    assertThat(backup.log().lastOp()).isEqualTo(2);
    assertThat(context.sentMessages()).contains(new PrepareOk(0, 2, 1));
    backup.onMessage(primary, new Prepare(0, 1, 1, List.of(request(1))));
    assertThat(backup.drops().get(VrReplica.DUPLICATE)).isEqualTo(1);
    assertThat(backup.executed()).as("op 1 committed").isEqualTo(1);
    backup.onMessage(CLIENT, request(3));
    assertThat(backup.drops().get(VrReplica.NOT_PRIMARY)).isEqualTo(1);
  }

  @Test
  void aReplicaThatLostItsStateTakesNoPartUntilItRecovered() {
    VrReplica recovering = replica(2, ReplicaSetup.Start.AFTER_STATE_LOSS);
    assertThat(recovering.status()).isEqualTo(Status.RECOVERING);
    Recovery sent = (Recovery) context.sentMessages().getFirst();
    recovering.onMessage(CONFIG.replica(0), new Prepare(0, 1, 0, List.of(request(1))));
    recovering.onMessage(CONFIG.replica(1), new StartViewChange(1, 1));
    recovering.onMessage(CONFIG.replica(1), new Recovery(1, 5));
    assertThat(recovering.drops().get(VrReplicaProtocols.RECOVERING)).isEqualTo(2);
    assertThat(recovering.drops().get(VrReplica.NOT_NORMAL)).isEqualTo(1);
    LogSegment log = new LogSegment(1, List.of(request(1), request(2)));
    recovering.onMessage(
        CONFIG.replica(0), new RecoveryResponse(0, sent.nonce() + 1, true, 1, log, 0));
    assertThat(recovering.drops().get(VrReplicaProtocols.WRONG_NONCE)).isEqualTo(1);
    recovering.onMessage(
        CONFIG.replica(1), new RecoveryResponse(1, sent.nonce(), false, 0, LogSegment.empty(1), 1));
    recovering.onMessage(CONFIG.replica(0), new RecoveryResponse(0, sent.nonce(), true, 1, log, 0));
    assertThat(recovering.status())
        .as("f+1 answered, but not the primary of view 1, the latest")
        .isEqualTo(Status.RECOVERING);
    recovering.onMessage(CONFIG.replica(1), new RecoveryResponse(1, sent.nonce(), true, 2, log, 1));
    assertThat(recovering.status()).isEqualTo(Status.NORMAL);
    assertThat(recovering.viewNumber()).isEqualTo(1);
    assertThat(recovering.log().lastOp()).isEqualTo(2);
    assertThat(recovering.executed()).isEqualTo(2);
  }

  @Test
  void aBackupSendsDoViewChangeOnlyAfterFOthersStartedTheViewChange() {
    VrReplica backup = replica(2, ReplicaSetup.Start.FRESH);
    backup.onMessage(CONFIG.replica(0), new Prepare(0, 1, 0, List.of(request(1))));
    context.takeSent();
    backup.onTimer(VrTimer.VIEW_CHANGE);
    assertThat(backup.status()).isEqualTo(Status.VIEW_CHANGE);
    assertThat(context.takeSent())
        .extracting(sent -> sent.message())
        .containsExactly(new StartViewChange(1, 2), new StartViewChange(1, 2));
    backup.onMessage(CONFIG.replica(1), new StartViewChange(1, 1));
    DoViewChange expected = new DoViewChange(1, 0, 0, new LogSegment(1, List.of(request(1))), 2);
    assertThat(context.takeSent())
        .containsExactly(new RecordingContext.Sent<>(CONFIG.replica(1), expected));
    backup.onMessage(CONFIG.replica(1), new StartViewChange(1, 1));
    assertThat(backup.drops().get(VrReplica.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void verifyDropsMessagesFromNonMembersAndImpostors() {
    Crypto crypto = new Crypto(new SimKeys(1, 3, Options.defaults().scheme()).replica(0));
    Address stranger = new Address("stranger", 9);
    assertThatThrownBy(() -> Vr.INSTANCE.verify(new PrepareOk(0, 1, 1), stranger, CONFIG, crypto))
        .isInstanceOf(Rejected.class)
        .hasMessage(Vr.WRONG_SENDER);
    assertThatThrownBy(
            () -> Vr.INSTANCE.verify(new PrepareOk(0, 1, 7), CONFIG.replica(1), CONFIG, crypto))
        .hasMessage(Vr.NOT_MEMBER);
    Prepare fromBackup = new Prepare(0, 1, 0, List.of(request(1)));
    assertThatThrownBy(() -> Vr.INSTANCE.verify(fromBackup, CONFIG.replica(1), CONFIG, crypto))
        .hasMessage(Vr.WRONG_SENDER);
    assertThatThrownBy(
            () -> Vr.INSTANCE.verify(new Reply(0, 1, 1, Bytes.EMPTY, 0), stranger, CONFIG, crypto))
        .hasMessage(Vr.NOT_MEMBER);
  }
}
