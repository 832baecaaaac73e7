package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;

/**
 * Vote signatures this replica verified or made, by view and block, so that a QC made of them is
 * not verified a second time: a vote recipient verified the votes that the next leader's QC carries
 * in its proposal, and Ed25519 signatures are deterministic, so the very same bytes are the very
 * same valid signature. Only a cost: a signature not found here is verified. Bounded: the most
 * recent {@link #VIEWS_MAX} views, {@link Votes#BLOCKS_PER_VIEW_MAX} blocks each.
 */
final class VerifiedVotes {
  static final int VIEWS_MAX = 16;

  private final int n;
  private final TreeMap<Long, HashMap<Digest, Bytes[]>> byView = new TreeMap<>();

  VerifiedVotes(int n) {
    this.n = n;
  }

  /** Remembers a signature checked valid (or made here) over the vote (view, block). */
  void remember(long view, Digest block, int replica, Bytes signature) {
    if (replica < 0 || replica >= n) return;
    HashMap<Digest, Bytes[]> atView = byView.get(view);
    if (atView == null) {
      if (byView.size() >= VIEWS_MAX) {
        if (view < byView.firstKey()) return;
        byView.pollFirstEntry();
      }
      atView = new HashMap<>();
      byView.put(view, atView);
    }
    Bytes[] signatures = atView.get(block);
    if (signatures == null) {
      if (atView.size() >= Votes.BLOCKS_PER_VIEW_MAX) return;
      signatures = new Bytes[n];
      atView.put(block, signatures);
    }
    signatures[replica] = signature;
  }

  /** Remembers every signature of a verified QC. */
  void remember(QuorumCert qc) {
    for (QuorumCert.Signature signature : qc.signatures()) {
      remember(qc.view(), qc.block(), signature.replica(), signature.signature());
    }
  }

  /** The signatures of {@code qc} not known valid here: the ones a check must verify. */
  List<QuorumCert.Signature> unverified(QuorumCert qc) {
    HashMap<Digest, Bytes[]> atView = byView.get(qc.view());
    Bytes[] known = atView == null ? null : atView.get(qc.block());
    List<QuorumCert.Signature> unverified = new ArrayList<>();
    for (QuorumCert.Signature signature : qc.signatures()) {
      int replica = signature.replica();
      boolean valid =
          known != null
              && replica >= 0
              && replica < n
              && signature.signature().equals(known[replica]);
      if (!valid) unverified.add(signature);
    }
    return unverified;
  }
}
