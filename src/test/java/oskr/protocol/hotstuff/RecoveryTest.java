package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Digest;

/** The recovery's bookkeeping: n-f other replicas, the highest view and QC they report. */
class RecoveryTest {
  private static final long NONCE = 0x5eed_0f_7e57L;

  private static QuorumCert qc(long view) {
    return new QuorumCert(view, new Digest(view, 1, 2, 3), List.of());
  }

  @Test
  void completesOnNMinusFOtherReplicasAndKeepsTheHighestViewAndQc() {
    Recovery recovery = new Recovery(4, 1, 0, NONCE);
    recovery.report(0, 900, qc(800), NONCE); // its own NEW-VIEW does not count
    recovery.report(1, 40, qc(38), NONCE);
    recovery.report(1, 41, qc(39), NONCE); // the same replica twice counts once
    recovery.report(2, 30, qc(45), NONCE);
    assertThat(recovery.complete()).isFalse();
    recovery.report(3, 42, qc(40), NONCE);
    assertThat(recovery.complete()).isTrue();
    assertThat(recovery.floor()).as("view after the highest QC, above every view").isEqualTo(46);
    assertThat(recovery.highestQc().view()).isEqualTo(45);
    recovery.report(2, 99, qc(98), NONCE); // final once complete
    assertThat(recovery.floor()).isEqualTo(46);
    assertThat(recovery.highestQc().view()).isEqualTo(45);
  }

  /**
   * NEW-VIEWs sent before the restart (nonce zero, or another recovery's) report views and QCs of
   * then: they neither count towards n-f nor raise the floor or the QC.
   */
  @Test
  void onlyAnswersEchoingTheNonceCount() {
    Recovery recovery = new Recovery(4, 1, 0, NONCE);
    recovery.report(1, 60, qc(59), 0);
    recovery.report(2, 70, qc(69), NONCE + 1);
    recovery.report(3, 80, qc(79), 0);
    assertThat(recovery.complete()).isFalse();
    recovery.report(1, 20, qc(19), NONCE);
    recovery.report(2, 21, qc(20), NONCE);
    recovery.report(3, 22, qc(21), NONCE);
    assertThat(recovery.complete()).isTrue();
    assertThat(recovery.floor()).isEqualTo(22);
    assertThat(recovery.highestQc().view()).isEqualTo(21);
  }
}
