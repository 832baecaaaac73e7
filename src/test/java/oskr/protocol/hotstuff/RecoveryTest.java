package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Digest;

/** The recovery's bookkeeping: n-f other replicas, the highest view and QC they report. */
class RecoveryTest {
  private static QuorumCert qc(long view) {
    return new QuorumCert(view, new Digest(view, 1, 2, 3), List.of());
  }

  @Test
  void completesOnNMinusFOtherReplicasAndKeepsTheHighestViewAndQc() {
    Recovery recovery = new Recovery(4, 1, 0);
    recovery.report(0, 900, qc(800)); // its own NEW-VIEW does not count
    recovery.report(1, 40, qc(38));
    recovery.report(1, 41, qc(39)); // the same replica twice counts once
    recovery.report(2, 30, qc(45));
    assertThat(recovery.complete()).isFalse();
    recovery.report(3, 42, qc(40));
    assertThat(recovery.complete()).isTrue();
    assertThat(recovery.floor()).as("view after the highest QC, above every view").isEqualTo(46);
    assertThat(recovery.highestQc().view()).isEqualTo(45);
    recovery.report(2, 99, qc(98)); // final once complete
    assertThat(recovery.floor()).isEqualTo(46);
    assertThat(recovery.highestQc().view()).isEqualTo(45);
  }
}
