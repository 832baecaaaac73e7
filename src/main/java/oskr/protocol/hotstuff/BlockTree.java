package oskr.protocol.hotstuff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oskr.core.Digest;

/**
 * The blocks a replica knows, by digest: every block's ancestors down to the root are known too (a
 * block is inserted only once its parent is), so chains are walked without gaps. The root is
 * genesis at first, later the oldest committed block still retained. Committed blocks beyond the
 * retention and every block that lost to the committed chain are pruned, so memory stays flat. Hash
 * maps are only looked up; iteration goes by view ({@link #byView}), so runs stay deterministic.
 */
final class BlockTree {
  /** Blocks one replica holds at most, committed ones included; past it proposals are dropped. */
  static final int BLOCKS_MAX = HotStuffSettings.RETAINED_BLOCKS_MAX + 4096;

  /** Proposals kept per view: a faulty leader (or Twins) may propose several. */
  static final int PER_VIEW_MAX = 4;

  private final HashMap<Digest, Block> blocks = new HashMap<>();
  private final TreeMap<Long, List<Digest>> byView = new TreeMap<>();

  /** The committed chain still retained, oldest first; its first block is the root. */
  private final ArrayDeque<Digest> committed = new ArrayDeque<>();

  private final HashSet<Digest> committedSet = new HashSet<>();
  private final int retained;
  private Digest root = QuorumCert.GENESIS_BLOCK;
  private long rootView;

  /** Views at or below it hold committed blocks only. */
  private long prunedUpTo;

  BlockTree(int retained) {
    this.retained = retained;
  }

  /** Whether {@code digest} is a block whose whole chain to the root is known. */
  boolean known(Digest digest) {
    return blocks.containsKey(digest) || digest.equals(root);
  }

  /** The block, or null for genesis and unknown digests. */
  Block get(Digest digest) {
    return blocks.get(digest);
  }

  /** The view of a known block (genesis: 0). */
  long viewOf(Digest digest) {
    Block block = blocks.get(digest);
    if (block != null) return block.view();
    assert digest.equals(root) : "view of an unknown block";
    return rootView;
  }

  int size() {
    return blocks.size();
  }

  /** Why {@link #insert} would refuse a block, or null if it would take it. */
  String refusal(Digest digest, Block block, boolean proposal) {
    if (!known(block.parent())) return "parent unknown";
    if (blocks.size() >= BLOCKS_MAX) return "block store full";
    List<Digest> atView = byView.get(block.view());
    if (proposal && atView != null && atView.size() >= PER_VIEW_MAX) return "too many at a view";
    return null;
  }

  /** Adds a block whose parent is known ({@link #refusal} said null). */
  void insert(Digest digest, Block block) {
    assert known(block.parent()) : "parent unknown";
    assert !known(digest) : "inserted twice";
    assert block.view() > viewOf(block.parent()) : "a child's view below its parent's";
    blocks.put(digest, block);
    byView.computeIfAbsent(block.view(), view -> new ArrayList<>(1)).add(digest);
  }

  /**
   * Whether {@code descendant} (known) has {@code ancestor} (of view {@code ancestorView}) on its
   * chain, itself included.
   */
  boolean extendsBlock(Digest descendant, Digest ancestor, long ancestorView) {
    Digest current = descendant;
    for (int steps = 0; steps <= blocks.size(); steps++) {
      Block block = blocks.get(current);
      if (block == null || block.view() <= ancestorView) return current.equals(ancestor);
      current = block.parent();
    }
    throw new IllegalStateException("a cycle in the block tree");
  }

  /**
   * The chain from {@code head} (known) down to, excluding, the first block at or below {@code
   * view}, newest first; {@code stop[0]} gets the digest it stopped at.
   */
  List<Block> chainAbove(Digest head, long view, Digest[] stop) {
    List<Block> chain = new ArrayList<>();
    Digest current = head;
    for (int steps = 0; steps <= blocks.size(); steps++) {
      Block block = blocks.get(current);
      if (block == null || block.view() <= view) {
        stop[0] = current;
        return chain;
      }
      chain.add(block);
      current = block.parent();
    }
    throw new IllegalStateException("a cycle in the block tree");
  }

  /**
   * {@code head} and up to {@code count - 1} ancestors, newest first, while their requests' bytes
   * stay below about {@code bytesMax}; empty if {@code head} is not held.
   */
  List<Block> chainFrom(Digest head, int count, long bytesMax) {
    List<Block> chain = new ArrayList<>();
    long bytes = 0;
    Digest current = head;
    while (chain.size() < count && bytes < bytesMax) {
      Block block = blocks.get(current);
      if (block == null) break;
      chain.add(block);
      bytes += estimatedBytes(block);
      current = block.parent();
    }
    return chain;
  }

  /** Roughly a block's size on the wire: a fixed part and its requests. */
  static long estimatedBytes(Block block) {
    long bytes = 512;
    for (HotStuffMessage.Request request : block.batch()) bytes += request.op().length() + 256;
    return bytes;
  }

  /**
   * The digests of the chain from {@code head} (known) down to, excluding, {@code base} of view
   * {@code view}, oldest first; empty if the chain reaches that view without passing {@code base}.
   */
  List<Digest> digestsAbove(Digest head, long view, Digest base) {
    Digest[] stop = new Digest[1];
    List<Block> chain = chainAbove(head, view, stop);
    if (!stop[0].equals(base)) return List.of();
    List<Digest> digests = new ArrayList<>(chain.size());
    Digest current = head;
    for (Block block : chain) {
      digests.add(current);
      current = block.parent();
    }
    java.util.Collections.reverse(digests);
    return digests;
  }

  /** Whether a block above {@code committedView} carries requests: work for the pacemaker. */
  boolean hasRequestsAbove(long committedView) {
    for (List<Digest> atView : byView.tailMap(committedView, false).values()) {
      for (Digest digest : atView) if (!blocks.get(digest).batch().isEmpty()) return true;
    }
    return false;
  }

  /**
   * {@code head} of view {@code view} is committed: blocks at or below it off its chain go, and
   * committed ones beyond the retention. The caller committed the chain in order.
   */
  void committed(List<Digest> newlyCommitted, long view) {
    for (Digest digest : newlyCommitted) {
      committed.addLast(digest);
      committedSet.add(digest);
    }
    for (Map.Entry<Long, List<Digest>> entry :
        byView.subMap(prunedUpTo, false, view, true).entrySet()) {
      entry.getValue().removeIf(digest -> !committedSet.contains(digest) && remove(digest));
    }
    byView.subMap(prunedUpTo, false, view, true).values().removeIf(List::isEmpty);
    prunedUpTo = view;
    while (committed.size() > retained) {
      Digest oldest = committed.pollFirst();
      committedSet.remove(oldest);
      Block block = blocks.remove(oldest);
      List<Digest> atView = byView.get(block.view());
      atView.remove(oldest);
      if (atView.isEmpty()) byView.remove(block.view());
    }
    if (!committed.isEmpty()) {
      root = committed.peekFirst();
      rootView = blocks.get(root).view();
    }
    assert blocks.size() >= committed.size() : "committed blocks missing";
  }

  /**
   * Roots the tree at {@code digest}, a block proven committed, instead of genesis or the blocks it
   * held (all forgotten): a replica that lost its state, or fell behind the retention, starts from
   * there when the others pruned the chain below it.
   */
  void restartFrom(Digest digest, Block block) {
    blocks.clear();
    byView.clear();
    committed.clear();
    committedSet.clear();
    blocks.put(digest, block);
    byView.computeIfAbsent(block.view(), view -> new ArrayList<>(1)).add(digest);
    committed.addLast(digest);
    committedSet.add(digest);
    root = digest;
    rootView = block.view();
    prunedUpTo = block.view();
  }

  private boolean remove(Digest digest) {
    blocks.remove(digest);
    return true;
  }

  /** Blocks of the retained committed chain: for tests of pruning. */
  int committedCount() {
    return committed.size();
  }
}
