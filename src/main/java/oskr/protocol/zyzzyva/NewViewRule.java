package oskr.protocol.zyzzyva;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Entry;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;

/**
 * The new view's history, decided from 2f+1 verified VIEW-CHANGEs: a pure function that the new
 * primary and every replica compute alike (so NEW-VIEW carries no decision to trust).
 *
 * <p>The corrected rule (after Abraham et al., "Revisiting Fast Practical Byzantine Fault
 * Tolerance", 2017, and "Thelma, Velma, and Zelma", 2018): start from the highest stable
 * checkpoint; collect the evidence of histories that may have completed, each with a view:
 *
 * <ul>
 *   <li>a commit certificate (v, n, h_n) that a VIEW-CHANGE carries, in view v: it completes
 *       requests on the slow path, and is what replicas hold before they checkpoint;
 *   <li>a history (n, h_n) that f+1 VIEW-CHANGEs contain, in the view of the (f+1)-th highest
 *       {@code historyView} among them: what a request completed on the fast path leaves (all 3f+1
 *       replicas executed it, so at least f+1 correct ones of any 2f+1 report it).
 * </ul>
 *
 * Then take the evidence in order of view (highest first), certificates before f+1 reports, longer
 * histories first, and keep extending the choice with every item that extends it. A higher view's
 * evidence is consistent with every request completed in a lower view (its NEW-VIEW kept them), so
 * a stale certificate of a lower view never displaces a fast-path completion of a higher one: the
 * flaw of the SOSP'07 rule, which adopts what f+1 VIEW-CHANGEs report whatever their views ({@link
 * Kind#SOSP07}, kept as a planted bug).
 */
final class NewViewRule {
  private NewViewRule() {}

  /** Which rule decides. */
  enum Kind {
    CORRECTED,
    /** The published rule: the highest certificate, then f+1 reports, views ignored. */
    SOSP07
  }

  /** The new view's history: the checkpoint, then entries with their history digests. */
  record Decision(CheckpointProof checkpoint, List<Entry> entries, List<Digest> digests) {
    long headSeq() {
      return checkpoint.seq() + entries.size();
    }

    Digest headDigest() {
      return digests.isEmpty() ? checkpoint.historyDigest() : digests.getLast();
    }
  }

  /** One VIEW-CHANGE's history above the chosen checkpoint, with its digests. */
  private record Chain(ViewChange source, long fromSeq, List<Digest> digests) {
    /** The digest at {@code seq}, or null beyond it. */
    Digest at(long seq, CheckpointProof base) {
      if (seq == base.seq()) return base.historyDigest();
      long index = seq - fromSeq - 1;
      return index >= 0 && index < digests.size() ? digests.get((int) index) : null;
    }

    long head() {
      return fromSeq + digests.size();
    }
  }

  private record Item(long view, boolean certified, long seq, Digest digest, Chain chain) {}

  static Decision decide(List<ViewChange> viewChanges, int f, Kind kind, Sha256 sha256) {
    Writer scratch = new Writer(1024);
    CheckpointProof base = CheckpointProof.INITIAL;
    for (ViewChange viewChange : viewChanges) {
      if (viewChange.checkpoint().seq() > base.seq()) base = viewChange.checkpoint();
    }
    List<Chain> chains = new ArrayList<>();
    for (ViewChange viewChange : viewChanges) {
      Chain chain = chain(viewChange, base, sha256, scratch);
      if (chain != null) chains.add(chain);
    }
    List<Item> items = evidence(chains, base, f);
    Comparator<Item> order =
        kind == Kind.CORRECTED
            ? Comparator.comparingLong(Item::view).reversed()
            : Comparator.comparingLong(item -> 0L);
    order =
        order
            .thenComparing(Item::certified, Comparator.reverseOrder())
            .thenComparing(Comparator.comparingLong(Item::seq).reversed())
            .thenComparing(item -> item.digest().hex());
    items.sort(order);
    Item chosen = new Item(Long.MAX_VALUE, true, base.seq(), base.historyDigest(), null);
    for (Item item : items) {
      if (item.seq() <= chosen.seq()) continue;
      if (item.chain().at(chosen.seq(), base).equals(chosen.digest())) chosen = item;
    }
    if (chosen.chain() == null) return new Decision(base, List.of(), List.of());
    Chain source = chosen.chain();
    int count = (int) (chosen.seq() - base.seq());
    int skip = (int) (base.seq() - source.source().checkpoint().seq());
    List<Entry> entries = source.source().entries().subList(skip, skip + count);
    List<Digest> digests = source.digests().subList(0, count);
    return new Decision(base, List.copyOf(entries), List.copyOf(digests));
  }

  /** The VIEW-CHANGE's history above {@code base}, or null if it does not pass through it. */
  private static Chain chain(
      ViewChange viewChange, CheckpointProof base, Sha256 sha256, Writer scratch) {
    CheckpointProof own = viewChange.checkpoint();
    Digest digest = own.historyDigest();
    List<Digest> above = new ArrayList<>();
    for (Entry entry : viewChange.entries()) {
      digest =
          Codecs.historyDigest(digest, Codecs.batchDigest(entry.batch(), sha256, scratch), sha256);
      if (entry.seq() == base.seq() && !digest.equals(base.historyDigest())) return null;
      if (entry.seq() > base.seq()) above.add(digest);
    }
    if (own.seq() == base.seq() && !own.historyDigest().equals(base.historyDigest())) return null;
    if (own.seq() + viewChange.entries().size() < base.seq()) return null;
    return new Chain(viewChange, base.seq(), above);
  }

  private static List<Item> evidence(List<Chain> chains, CheckpointProof base, int f) {
    List<Item> items = new ArrayList<>();
    for (Chain chain : chains) {
      if (chain.source().cert().isEmpty()) continue;
      CommitCert cert = chain.source().cert().get();
      Digest own = cert.seq() > base.seq() ? chain.at(cert.seq(), base) : null;
      if (own != null && own.equals(cert.historyDigest())) {
        items.add(new Item(cert.view(), true, cert.seq(), cert.historyDigest(), chain));
      }
    }
    // (seq, digest) -> the chains that contain it; keyed by hex for a deterministic order.
    TreeMap<Long, TreeMap<String, List<Chain>>> reports = new TreeMap<>();
    for (Chain chain : chains) {
      for (long seq = base.seq() + 1; seq <= chain.head(); seq++) {
        Digest digest = chain.at(seq, base);
        reports
            .computeIfAbsent(seq, s -> new TreeMap<>())
            .computeIfAbsent(digest.hex(), d -> new ArrayList<>())
            .add(chain);
      }
    }
    reports.forEach(
        (seq, byDigest) ->
            byDigest.forEach(
                (hex, supporters) -> {
                  if (supporters.size() < f + 1) return;
                  List<Long> views = new ArrayList<>();
                  for (Chain chain : supporters) views.add(chain.source().historyView());
                  views.sort(Comparator.reverseOrder());
                  Chain first = supporters.getFirst();
                  items.add(new Item(views.get(f), false, seq, first.at(seq, base), first));
                }));
    return items;
  }
}
