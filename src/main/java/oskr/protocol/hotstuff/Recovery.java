package oskr.protocol.hotstuff;

/**
 * What a replica that restarted without its state learns before it votes or proposes again. It lost
 * its lock and the record of the views it voted and proposed in, so it asks every replica for its
 * state (a NEW-VIEW with the genesis QC, which every replica that knows a later QC answers with its
 * own) and waits for answers from n-f other replicas, each echoing the nonce it asked with, so that
 * a NEW-VIEW sent before the crash and delivered after the restart does not count: the floor is the
 * highest view they report (each reports its view, the view it announced, or the view after its
 * highest QC, whichever is highest), the highest QC among them the QC it locks on.
 *
 * <p>Why this is safe: before the crash, the replica voted or proposed in view w only on a proposal
 * of w, which a correct leader makes only once n-f replicas voted in w-1 (and so moved to w) or
 * announced w. Those n-f and the n-f answering replicas (the restarted one not among them) share at
 * least f+1 replicas, at most f-1 of them faulty besides the restarted one: a correct one reached w
 * before the crash and reports at least w after the restart. So no view at or below the floor is
 * one the replica may have voted or proposed in, and it votes and proposes only above it. Likewise
 * its lost lock was on a block whose child n-f replicas voted for, after they had seen the lock's
 * QC: a correct one among the answers reports a QC at least as high, and the replica locks on the
 * highest reported QC's block, at least as high as its lost lock. (Safety of the others never rests
 * on this: while it recovers the replica counts as one of the f faulty ones, and two QCs of one
 * view would need a correct replica voting twice: two quorums of n-f share f+1 replicas. The rule
 * is what lets it count as correct again.)
 *
 * <p>The nonce matters because a NEW-VIEW a replica sent before the restart reports its view and QC
 * of then, possibly below views the restarted replica voted in afterwards; one echoing the nonce
 * was sent after the ask, so after the restart, and reports at least what its sender knew then.
 */
final class Recovery {
  private final boolean[] reported;
  private final int index;
  private final int needed;
  private final long nonce;
  private int count;
  private long floor;
  private QuorumCert highestQc = QuorumCert.GENESIS;

  /** {@code nonce}: fresh, non-zero, drawn at the restart. */
  Recovery(int n, int f, int index, long nonce) {
    assert nonce != 0 : "zero marks a NEW-VIEW outside a recovery";
    this.reported = new boolean[n];
    this.index = index;
    this.needed = n - f;
    this.nonce = nonce;
  }

  /** The nonce this recovery asks with, which answers echo. */
  long nonce() {
    return nonce;
  }

  /**
   * Replica {@code replica} reported its view (or announcement) {@code view} and QC {@code qc} in a
   * NEW-VIEW with {@code echoed}; only answers with this recovery's nonce count.
   */
  void report(int replica, long view, QuorumCert qc, long echoed) {
    if (replica == index || echoed != nonce || complete()) return;
    if (!reported[replica]) {
      reported[replica] = true;
      count++;
    }
    floor = Math.max(floor, Math.max(view, qc.view() + 1));
    if (qc.view() > highestQc.view()) highestQc = qc;
  }

  /** Whether n-f other replicas answered: the floor and the QC are final. */
  boolean complete() {
    return count >= needed;
  }

  /** The highest view reported: the replica votes and proposes only above it. */
  long floor() {
    return floor;
  }

  /** The highest QC reported: the replica locks on its block once it holds it. */
  QuorumCert highestQc() {
    return highestQc;
  }
}
