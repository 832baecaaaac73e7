package oskr.protocol.hotstuff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import oskr.core.Digest;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.hotstuff.HotStuffMessage.Blocks;
import oskr.protocol.hotstuff.HotStuffMessage.FetchBlocks;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;

/**
 * Block sync: what a replica waits for before it can vote or execute, and the fetched blocks it
 * cannot attach yet. A proposal whose parent is unknown, or a QC whose block is unknown, waits here
 * while the missing block and its ancestors are fetched (FETCH-BLOCKS, BLOCKS) from the replica
 * that should have them, then from the others in turn. Bounded: at most {@link #WAITING_MAX}
 * waiting items and {@link #ORPHANS_MAX} unattached blocks, oldest dropped first.
 */
final class BlockSync {
  static final int WAITING_MAX = 32;
  static final int ORPHANS_MAX = 4096;
  static final String UNASKED_BLOCKS = "blocks not asked for";
  static final String UNKNOWN_BLOCK = "fetch of a block not held";
  static final String OVER_BUDGET = "fetch over the requester's budget";

  /**
   * Blocks, and roughly bytes, one replica may fetch from this one per refill period (the view
   * timeout): a faulty replica asking again and again gets no more, while a lagging one still
   * fetches eight full answers a period (64 blocks each), thousands of blocks a second.
   */
  static final int FETCH_BUDGET_BLOCKS = 8 * FetchBlocks.COUNT_MAX;

  static final long FETCH_BUDGET_BYTES = 4 * (1L << 20);

  /** Roughly the most bytes of requests one BLOCKS answer carries. */
  static final long BLOCKS_BYTES_MAX = 1 << 20;

  private final BlockTree tree;
  private final Context<HotStuffMessage> context;
  private final int index;
  private final int n;
  private final Duration retryDelay;
  private final Drops drops;

  BlockSync(
      BlockTree tree,
      Context<HotStuffMessage> context,
      int index,
      int n,
      Duration retryDelay,
      Drops drops) {
    this.tree = tree;
    this.context = context;
    this.index = index;
    this.n = n;
    this.retryDelay = retryDelay;
    this.drops = drops;
    this.fetchedBlocks = new int[n];
    this.fetchedBytes = new long[n];
    this.servedBlocks = new long[n];
  }

  /** A proposal or QC waiting for {@code missing}. */
  record Waiting(Digest missing, Proposal proposal, QuorumCert qc) {}

  private final List<Waiting> waiting = new ArrayList<>();

  /** Fetched blocks whose parent is unknown, in arrival order (iteration is deterministic). */
  private final LinkedHashMap<Digest, Block> orphans = new LinkedHashMap<>();

  /** Orphans by parent digest (looked up only). */
  private final HashMap<Digest, List<Digest>> children = new HashMap<>();

  /** The block being fetched, or null; who was asked last. */
  private Digest fetching;

  private int askedLast = -1;

  /** The block a retry found missing, and whether every other replica was asked for it since. */
  private Digest stalled;

  private boolean askedEveryone;

  /** Every other replica was asked for {@link #stalled} and a period later it still misses. */
  private boolean exhausted;

  /** Whether the retry timer runs: asks in between do not postpone it. */
  private boolean retryArmed;

  /** Per requester, the blocks and bytes served since the last refill. */
  private final int[] fetchedBlocks;

  private final long[] fetchedBytes;

  /** Per requester, every block served: observability for tests of the budget. */
  private final long[] servedBlocks;

  /** Whether the refill timer runs: it does while some budget is spent. */
  private boolean refillArmed;

  /** {@code item} waits for its block, fetched first from replica {@code first}. */
  void waitFor(Waiting item, int first) {
    if (waiting.size() >= WAITING_MAX) waiting.remove(0);
    waiting.add(item);
    fetchMissing(first);
  }

  /**
   * Answers with the block asked for and its ancestors, newest first, within the byte bound of an
   * answer and what is left of the requester's budget; a request over budget is dropped (counted).
   */
  void serve(FetchBlocks fetch) {
    int requester = fetch.replica();
    if (requester == index) {
      drops.count(UNKNOWN_BLOCK);
      return;
    }
    int blocksLeft = FETCH_BUDGET_BLOCKS - fetchedBlocks[requester];
    long bytesLeft = FETCH_BUDGET_BYTES - fetchedBytes[requester];
    if (blocksLeft <= 0 || bytesLeft <= 0) {
      drops.count(OVER_BUDGET);
      return;
    }
    List<Block> chain =
        tree.chainFrom(
            fetch.block(),
            Math.min(fetch.count(), blocksLeft),
            Math.min(BLOCKS_BYTES_MAX, bytesLeft));
    if (chain.isEmpty()) {
      drops.count(UNKNOWN_BLOCK);
      return;
    }
    fetchedBlocks[requester] += chain.size();
    servedBlocks[requester] += chain.size();
    for (Block block : chain) fetchedBytes[requester] += BlockTree.estimatedBytes(block);
    if (!refillArmed) {
      context.setTimer(HotStuffTimer.FETCH_REFILL, retryDelay);
      refillArmed = true;
    }
    context.sendToReplica(requester, new Blocks(fetch.block(), chain, index));
  }

  /** A refill period passed (or timers died with a pause): every budget is full again. */
  void refill() {
    java.util.Arrays.fill(fetchedBlocks, 0);
    java.util.Arrays.fill(fetchedBytes, 0);
    refillArmed = false;
  }

  /**
   * Takes the blocks of an answer above {@code committedView}: each is inserted once its parent is
   * known, or held as an orphan until then.
   *
   * @return false if nothing was asked for (the answer is dropped)
   */
  boolean receive(Blocks message, long committedView) {
    if (fetching == null) {
      drops.count(UNASKED_BLOCKS);
      return false;
    }
    for (int i = message.blocks().size() - 1; i >= 0; i--) {
      Block block = message.blocks().get(i);
      Digest digest = message.digest(i);
      if (block.view() <= committedView || tree.known(digest)) continue;
      addOrphan(digest, block);
      for (String refusal : attach(tree, block.parent())) drops.count(refusal);
    }
    fetching = null;
    return true;
  }

  /**
   * Asks for the first block still missing: from {@code first} if given (not -1), else from the
   * replica that answered last; the same block again goes to the next replica.
   */
  void fetchMissing(int first) {
    fetch(first, false);
  }

  /** The blocks asked for did not come in time: the same block goes to the next replica. */
  void retry() {
    retryArmed = false;
    Digest missing = missing(tree::known);
    if (missing == null || !missing.equals(stalled)) {
      stalled = missing;
      askedEveryone = false;
      exhausted = false;
      fetch(-1, true);
    } else if (!askedEveryone) {
      // Missing for a whole period: every other replica is asked at once, so that a block pruned
      // everywhere is known to be within one more period.
      askedEveryone = true;
      for (int replica = 0; replica < n; replica++) {
        if (replica != index) {
          context.sendToReplica(replica, new FetchBlocks(missing, FetchBlocks.COUNT_MAX, index));
        }
      }
      fetching = missing;
      context.setTimer(HotStuffTimer.SYNC, retryDelay);
      retryArmed = true;
    } else {
      exhausted = true;
      fetch(-1, true);
    }
  }

  /** After a pause, whose timers died: asks again, the next replica if the same block. */
  void resume() {
    retryArmed = false;
    fetch(-1, true);
  }

  private void fetch(int first, boolean again) {
    Digest missing = missing(tree::known);
    if (missing == null) {
      fetching = null;
      context.cancelTimer(HotStuffTimer.SYNC);
      retryArmed = false;
      return;
    }
    if (missing.equals(fetching) && !again) return; // the retry timer asks the next one
    int from = first >= 0 && first != index ? first : askedLast >= 0 ? askedLast : (index + 1) % n;
    int replica = ask(missing, from, again);
    context.sendToReplica(replica, new FetchBlocks(missing, FetchBlocks.COUNT_MAX, index));
    if (!retryArmed) {
      context.setTimer(HotStuffTimer.SYNC, retryDelay);
      retryArmed = true;
    }
  }

  /**
   * Whether the block still missing was asked of every other replica at once, and a period later it
   * still misses: they pruned it (or are cut off; it is asked again).
   */
  boolean exhausted() {
    return exhausted;
  }

  /** Whether an item waits for {@code digest}. */
  boolean waitsFor(Digest digest) {
    for (Waiting item : waiting) if (item.missing().equals(digest)) return true;
    return false;
  }

  /** A block the orphans prove committed, and the verified QC at the top of the proof. */
  record Anchor(Digest digest, Block block, QuorumCert proof) {}

  /**
   * The highest block the orphans prove committed, or null: below the verified QC of a waiting item
   * (a QC, or a proposal's justify), the first b, b', b'' down the chain with b'' certified (by
   * that QC, or by its child's justify, which a correct voter verified) and each the parent of the
   * next in consecutive views: the direct three-chain that commits b.
   */
  Anchor committedAnchor() {
    Anchor best = null;
    for (Waiting item : waiting) {
      QuorumCert proof = item.qc() != null ? item.qc() : item.proposal().block().justify();
      Digest top = proof.block();
      for (int steps = 0; steps <= orphans.size(); steps++) {
        Block b2 = orphans.get(top);
        Block b1 = b2 == null ? null : orphans.get(b2.parent());
        Block b0 = b1 == null ? null : orphans.get(b1.parent());
        if (b0 == null) break;
        if (b2.view() == b1.view() + 1 && b1.view() == b0.view() + 1) {
          if (best == null || b0.view() > best.block().view()) {
            best = new Anchor(b1.parent(), b0, proof);
          }
          break;
        }
        top = b2.parent();
      }
    }
    return best;
  }

  /** The waiting items whose block is now known; they leave. */
  List<Waiting> ready(java.util.function.Predicate<Digest> known) {
    List<Waiting> ready = new ArrayList<>();
    waiting.removeIf(
        item -> {
          if (!known.test(item.missing())) return false;
          ready.add(item);
          return true;
        });
    return ready;
  }

  /** Drops what waits for blocks that can no longer matter (views at or below {@code view}). */
  void pruneUpTo(long view) {
    waiting.removeIf(
        item ->
            (item.proposal() != null ? item.proposal().block().view() : item.qc().view()) <= view);
    orphans.values().removeIf(block -> block.view() <= view);
    children.values().forEach(list -> list.removeIf(digest -> !orphans.containsKey(digest)));
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  void addOrphan(Digest digest, Block block) {
    if (orphans.containsKey(digest)) return;
    if (orphans.size() >= ORPHANS_MAX) {
      Digest oldest = orphans.keySet().iterator().next();
      Block dropped = orphans.remove(oldest);
      List<Digest> siblings = children.get(dropped.parent());
      if (siblings != null) siblings.remove(oldest);
    }
    orphans.put(digest, block);
    children.computeIfAbsent(block.parent(), parent -> new ArrayList<>(1)).add(digest);
  }

  /**
   * Inserts into {@code tree} the orphans whose parent {@code parent} is now known, and their
   * descendants in turn.
   *
   * @return why orphans were refused, one reason per refused block
   */
  List<String> attach(BlockTree tree, Digest parent) {
    List<String> refusals = new ArrayList<>();
    java.util.ArrayDeque<Digest> parents = new java.util.ArrayDeque<>();
    parents.add(parent);
    while (!parents.isEmpty()) {
      Digest known = parents.poll();
      if (!tree.known(known)) continue;
      for (Digest child : takeChildren(known)) {
        Block block = orphans.remove(child);
        if (block == null || tree.known(child)) continue;
        String refusal = tree.refusal(child, block, false);
        if (refusal != null) {
          refusals.add(refusal);
          continue;
        }
        tree.insert(child, block);
        parents.add(child);
      }
    }
    return refusals;
  }

  /** Orphans whose parent is {@code parent}; they leave the orphans. */
  private List<Digest> takeChildren(Digest parent) {
    List<Digest> found = children.remove(parent);
    if (found == null) return List.of();
    List<Digest> taken = new ArrayList<>(found.size());
    for (Digest digest : found) if (orphans.containsKey(digest)) taken.add(digest);
    return taken;
  }

  /**
   * The block to fetch for the waiting items: the first one's missing block, or below the orphans
   * that lead down from it, the first ancestor neither known nor held. Null if nothing is missing.
   */
  private Digest missing(java.util.function.Predicate<Digest> known) {
    for (Waiting item : waiting) {
      Digest current = item.missing();
      for (int steps = 0; steps <= orphans.size(); steps++) {
        if (known.test(current)) break;
        Block orphan = orphans.get(current);
        if (orphan == null) return current;
        current = orphan.parent();
      }
    }
    return null;
  }

  /**
   * Records a fetch of {@code digest}: the replica to ask, {@code from} at first, the next one on
   * each retry.
   */
  private int ask(Digest digest, int from, boolean again) {
    int replica = from;
    if (again && askedLast >= 0) {
      replica = (askedLast + 1) % n;
      if (replica == index) replica = (replica + 1) % n;
    }
    fetching = digest;
    askedLast = replica;
    return replica;
  }

  long blocksServedTo(int replica) {
    return servedBlocks[replica];
  }

  int orphanCount() {
    return orphans.size();
  }
}
