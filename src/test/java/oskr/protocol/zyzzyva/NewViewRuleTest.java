package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Entry;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Signature;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;

/**
 * The new view's decision, as a pure function of 2f+1 VIEW-CHANGEs (n = 4, f = 1), on the shape of
 * the counterexample of Abraham et al., "Revisiting Fast Practical Byzantine Fault Tolerance"
 * (2017): a request completed on the fast path in view 1 must survive a Byzantine replica that
 * shows an older commit certificate, from view 0, for another request at the same sequence number.
 */
class NewViewRuleTest {
  private final Sha256 sha256 = new Sha256();

  private static Request request(String op) {
    return new Request(7, 1, new Address("127.0.0.1", 9000), Bytes.utf8(op));
  }

  private Digest historyOf(List<Request> batch) {
    return Codecs.historyDigest(
        Digest.ZERO, Codecs.batchDigest(batch, sha256, new Writer(64)), sha256);
  }

  private static ViewChange viewChange(
      int replica, long historyView, List<Request> batch, Optional<CommitCert> cert) {
    return new ViewChange(
        2,
        historyView,
        CheckpointProof.INITIAL,
        cert,
        List.of(new Entry(1, batch)),
        replica,
        Bytes.EMPTY);
  }

  /**
   * View 0 ordered A at 1 and a certificate for it formed, held by one replica only. View 1's
   * NEW-VIEW (from VIEW-CHANGEs without it) ordered B at 1, and B completed on the fast path: all
   * four replicas executed it. Moving to view 2, the Byzantine replica 3 reports its old history
   * and the old certificate for A; correct replicas 1 and 2 report B, adopted in view 1.
   */
  private List<ViewChange> counterexample() {
    List<Request> a = List.of(request("A"));
    List<Request> b = List.of(request("B"));
    Signature any = new Signature(0, Bytes.EMPTY);
    CommitCert certForA = new CommitCert(0, 1, historyOf(a), List.of(any, any, any));
    return List.of(
        viewChange(1, 1, b, Optional.empty()),
        viewChange(2, 1, b, Optional.empty()),
        viewChange(3, 0, a, Optional.of(certForA)));
  }

  @Test
  void theCorrectedRuleKeepsTheFastPathCompletionOfTheLaterView() {
    NewViewRule.Decision decision =
        NewViewRule.decide(counterexample(), 1, NewViewRule.Kind.CORRECTED, sha256);
    assertThat(decision.headSeq()).isEqualTo(1);
    assertThat(decision.entries().getFirst().batch().getFirst().op().utf8String()).isEqualTo("B");
  }

  @Test
  void theSosp07RuleLosesIt() {
    NewViewRule.Decision decision =
        NewViewRule.decide(counterexample(), 1, NewViewRule.Kind.SOSP07, sha256);
    assertThat(decision.entries().getFirst().batch().getFirst().op().utf8String()).isEqualTo("A");
  }

  @Test
  void aCertificateOfTheHighestViewWinsOverOlderReports() {
    List<Request> a = List.of(request("A"));
    List<Request> b = List.of(request("B"));
    Signature any = new Signature(0, Bytes.EMPTY);
    CommitCert certForA = new CommitCert(1, 1, historyOf(a), List.of(any, any, any));
    List<ViewChange> viewChanges =
        List.of(
            viewChange(1, 0, b, Optional.empty()),
            viewChange(2, 0, b, Optional.empty()),
            viewChange(3, 1, a, Optional.of(certForA)));
    NewViewRule.Decision decision =
        NewViewRule.decide(viewChanges, 1, NewViewRule.Kind.CORRECTED, sha256);
    assertThat(decision.entries().getFirst().batch().getFirst().op().utf8String()).isEqualTo("A");
  }

  @Test
  void nothingReportedTwiceAndNoCertificateGivesAnEmptyHistory() {
    List<ViewChange> viewChanges =
        List.of(
            viewChange(1, 0, List.of(request("A")), Optional.empty()),
            viewChange(2, 0, List.of(request("B")), Optional.empty()),
            viewChange(3, 0, List.of(request("C")), Optional.empty()));
    NewViewRule.Decision decision =
        NewViewRule.decide(viewChanges, 1, NewViewRule.Kind.CORRECTED, sha256);
    assertThat(decision.headSeq()).isZero();
  }
}
