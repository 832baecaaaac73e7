package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.ChunkTree;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.StateImage;
import oskr.protocol.hotstuff.HotStuffMessage.Checkpoint;

/**
 * Checkpoints for state transfer: every K committed blocks (K = {@code checkpointInterval}) a
 * replica freezes its state, digests it on a worker and sends a signed CHECKPOINT to all. f+1
 * matching ones from distinct replicas prove the state: at least one of them is correct, and every
 * correct replica that executed the same committed chain has the same state there. Only the latest
 * proven checkpoint matters; this replica keeps its image to serve, if it has it, and forgets older
 * ones, so memory stays flat.
 */
final class Checkpoints {
  static final String STALE_CHECKPOINT = "stale checkpoint";
  static final String OFF_INTERVAL = "checkpoint off the interval";
  static final String CONFLICTING_CHECKPOINT = "conflicting checkpoint";
  static final String DUPLICATE_CHECKPOINT = "duplicate checkpoint";

  /**
   * CHECKPOINTs above the proven one kept per replica, its freshest: a faulty replica's inventions
   * displace only its own.
   */
  static final int PER_REPLICA_MAX = 4;

  /** Own checkpoints not yet proven, kept at most (the oldest go first). */
  static final int OWN_MAX = 4;

  /** A checkpoint f+1 replicas signed alike, and those f+1 CHECKPOINTs. */
  record Proven(long height, Digest block, Digest stateDigest, List<Checkpoint> proof) {
    Proven {
      proof = List.copyOf(proof);
    }
  }

  /** One of our checkpoints: the state, and its tree and signed message once computed. */
  private static final class Own {
    final Digest block;
    final StateImage image;
    ChunkTree tree;
    Checkpoint message;

    Own(Digest block, StateImage image) {
      this.block = block;
      this.image = image;
    }
  }

  private record Digested(ChunkTree tree, Checkpoint message) {}

  private final Context<HotStuffMessage> context;
  private final int index;
  private final int f;
  private final int interval;
  private final Drops drops;
  private final TreeMap<Long, Own> own = new TreeMap<>();

  /** CHECKPOINTs above the proven one, by height and replica. */
  private final TreeMap<Long, Checkpoint[]> votes = new TreeMap<>();

  private final int[] votesPerReplica;
  private Proven proven;

  /** Our image and tree of the proven checkpoint, to serve; null while we lack them. */
  private StateImage provenImage;

  private ChunkTree provenTree;

  Checkpoints(
      Context<HotStuffMessage> context, int index, int n, int f, int interval, Drops drops) {
    this.context = context;
    this.index = index;
    this.f = f;
    this.interval = interval;
    this.drops = drops;
    this.votesPerReplica = new int[n];
  }

  /** The latest proven checkpoint, or null. */
  Proven proven() {
    return proven;
  }

  /** Our state at the proven checkpoint, or null while we do not have it (or its tree). */
  StateImage provenImage() {
    return provenTree == null ? null : provenImage;
  }

  ChunkTree provenTree() {
    return provenTree;
  }

  /**
   * After executing the committed block {@code block}, the {@code height}-th: digest and sign
   * {@code image} (frozen) on a worker, then send the CHECKPOINT to all. Also after installing a
   * proven checkpoint's state, which then becomes ours to serve (nothing is sent).
   */
  void take(long height, Digest block, StateImage image) {
    assert height % interval == 0 : height;
    if (proven != null && height < proven.height()) return;
    if (own.size() >= OWN_MAX) own.pollFirstEntry();
    own.put(height, new Own(block, image));
    int self = index;
    context.submit(
        crypto -> {
          ChunkTree tree = ChunkTree.of(image, crypto.sha256());
          Checkpoint unsigned =
              new Checkpoint(height, block, tree.stateDigest(), self, Bytes.EMPTY);
          return new Digested(
              tree, unsigned.withSignature(Auth.sign(crypto, unsigned::encodeSigned)));
        },
        this::onOwnDigested);
  }

  private void onOwnDigested(Digested digested) {
    Checkpoint m = digested.message();
    Own entry = own.get(m.height());
    if (entry == null) return; // a later checkpoint was proven meanwhile
    entry.tree = digested.tree();
    entry.message = m;
    if (proven != null && m.height() == proven.height()) {
      own.remove(m.height());
      serve(entry);
      return;
    }
    context.broadcast(m);
    addVote(m);
    checkProven(m.height());
  }

  /**
   * A verified CHECKPOINT of another replica.
   *
   * @return whether a new checkpoint is proven
   */
  boolean onCheckpoint(Checkpoint m) {
    if (m.replica() == index || (proven != null && m.height() <= proven.height())) {
      drops.count(STALE_CHECKPOINT);
      return false;
    }
    if (m.height() % interval != 0) {
      drops.count(OFF_INTERVAL);
      return false;
    }
    return addVote(m) && checkProven(m.height());
  }

  private boolean addVote(Checkpoint m) {
    Checkpoint[] atHeight = votes.get(m.height());
    if (atHeight != null && atHeight[m.replica()] != null) {
      Checkpoint held = atHeight[m.replica()];
      boolean same = held.block().equals(m.block()) && held.stateDigest().equals(m.stateDigest());
      drops.count(same ? DUPLICATE_CHECKPOINT : CONFLICTING_CHECKPOINT);
      return false;
    }
    if (votesPerReplica[m.replica()] >= PER_REPLICA_MAX) forgetOldestVote(m.replica());
    votes.computeIfAbsent(m.height(), h -> new Checkpoint[votesPerReplica.length])[m.replica()] = m;
    votesPerReplica[m.replica()]++;
    return true;
  }

  private void forgetOldestVote(int from) {
    for (var entry : votes.entrySet()) {
      if (entry.getValue()[from] != null) {
        entry.getValue()[from] = null;
        votesPerReplica[from]--;
        return;
      }
    }
  }

  /** Whether f+1 CHECKPOINTs at {@code height} match now: that checkpoint is proven. */
  private boolean checkProven(long height) {
    Checkpoint[] atHeight = votes.get(height);
    if (atHeight == null) return false;
    for (Checkpoint candidate : atHeight) {
      if (candidate == null) continue;
      List<Checkpoint> matching = new ArrayList<>(f + 1);
      for (Checkpoint other : atHeight) {
        if (other != null
            && other.block().equals(candidate.block())
            && other.stateDigest().equals(candidate.stateDigest())) {
          matching.add(other);
        }
      }
      if (matching.size() >= f + 1) {
        prove(
            new Proven(
                height, candidate.block(), candidate.stateDigest(), matching.subList(0, f + 1)));
        return true;
      }
    }
    return false;
  }

  private void prove(Proven next) {
    assert proven == null || next.height() > proven.height() : "proven checkpoint went back";
    proven = next;
    provenImage = null;
    provenTree = null;
    votes.headMap(next.height(), true).clear();
    Arrays.fill(votesPerReplica, 0);
    for (Checkpoint[] atHeight : votes.values()) {
      for (Checkpoint vote : atHeight) if (vote != null) votesPerReplica[vote.replica()]++;
    }
    own.headMap(next.height(), false).clear();
    Own entry = own.get(next.height());
    if (entry != null && entry.tree != null) {
      own.remove(next.height());
      serve(entry);
    } // else: our digest is still being computed (it serves then), or we are behind
  }

  /** Our own state at the proven checkpoint: it must be the proven one; we serve it from now. */
  private void serve(Own entry) {
    Invariants.check(
        entry.block.equals(proven.block()) && entry.tree.stateDigest().equals(proven.stateDigest()),
        "our state diverged from a proven checkpoint");
    provenImage = entry.image;
    provenTree = entry.tree;
  }

  /** Entries held: for tests of the bounds. */
  int memoryEntries() {
    return own.size() + votes.size();
  }
}
