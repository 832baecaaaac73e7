package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.ChunkTree;
import oskr.protocol.StateImage;
import oskr.protocol.pbft.PbftMessage.Checkpoint;

/**
 * Checkpoints and garbage collection (TOCS §4.3): every K sequence numbers a replica digests its
 * state on a worker and multicasts a signed CHECKPOINT; 2f+1 matching ones make it stable, which
 * moves the low watermark and frees everything below. A replica that sees a stable checkpoint it
 * has not reached starts a state transfer.
 */
final class Checkpoints {
  static final String STALE_CHECKPOINT = "stale checkpoint";
  static final String OFF_INTERVAL = "checkpoint off the interval";
  static final String CONFLICTING_CHECKPOINT = "conflicting checkpoint";

  /** What a new stable checkpoint asks of the replica. */
  enum Outcome {
    /** No new stable checkpoint. */
    NONE,
    /** A new stable checkpoint at or below what we executed: collect the garbage below it. */
    STABLE,
    /** Stable, but we are behind it by at most K: also fetch the batches up to it (log). */
    STABLE_FETCH_LOG,
    /** Stable, and we are further behind: also fetch its state (state transfer). */
    STABLE_FETCH_STATE
  }

  /** One of our own checkpoints: the state, and its chunk tree and signed message once computed. */
  private static final class Own {
    final StateImage image;
    ChunkTree tree;
    Checkpoint message;

    Own(StateImage image) {
      this.image = image;
    }
  }

  /** What the worker computes for one of our checkpoints. */
  private record Digested(ChunkTree tree, Checkpoint message) {}

  private final PbftReplica replica;
  private final TreeMap<Long, Own> own = new TreeMap<>();

  /** CHECKPOINTs above the stable one, by sequence number and replica. */
  private final TreeMap<Long, Checkpoint[]> votes = new TreeMap<>();

  /** Per replica, how many of its CHECKPOINTs {@link #votes} holds (bounded). */
  private final int[] votesPerReplica;

  private final int votesPerReplicaMax;

  private long stableSeq;
  private Digest stableDigest = Digest.ZERO;
  private List<Checkpoint> stableProof = List.of();

  /** Our state at the stable checkpoint and its tree, to serve state transfer; null until known. */
  private StateImage stableImage;

  private ChunkTree stableTree;

  Checkpoints(PbftReplica replica) {
    this.replica = replica;
    this.votesPerReplica = new int[replica.config.n()];
    this.votesPerReplicaMax =
        replica.settings.watermarkWindow() / replica.settings.checkpointInterval() + 2;
  }

  long stableSeq() {
    return stableSeq;
  }

  Digest stableDigest() {
    return stableDigest;
  }

  List<Checkpoint> stableProof() {
    return stableProof;
  }

  /** Our state at the stable checkpoint, or null while we do not have it (or its tree). */
  StateImage stableImage() {
    return stableTree == null ? null : stableImage;
  }

  ChunkTree stableTree() {
    return stableTree;
  }

  /** After executing {@code seq}: freeze the state now, digest and sign on a worker, multicast. */
  void take(long seq) {
    assert seq % replica.settings.checkpointInterval() == 0 : seq;
    assert seq == replica.lastExecuted() : "checkpoint of a state we are not in";
    if (seq < stableSeq || (seq == stableSeq && stableTree != null)) return; // of no use
    StateImage image = replica.execution.stateImage();
    own.put(seq, new Own(image));
    int self = replica.index;
    replica.submit(
        crypto -> {
          ChunkTree tree = ChunkTree.of(image, crypto.sha256());
          Checkpoint unsigned = new Checkpoint(seq, tree.stateDigest(), self, Bytes.EMPTY);
          return new Digested(tree, unsigned.withAuth(Auth.sign(crypto, unsigned::encodeSigned)));
        },
        digested -> replica.applyCheckpoint(onOwnCheckpointSigned(digested)));
  }

  private Outcome onOwnCheckpointSigned(Digested digested) {
    Checkpoint m = digested.message();
    Own entry = own.get(m.seq());
    if (entry == null) return Outcome.NONE; // a later checkpoint became stable meanwhile
    entry.tree = digested.tree();
    entry.message = m;
    if (m.seq() == stableSeq) {
      // We caught up from the log to a checkpoint that became stable without us.
      Invariants.check(
          m.stateDigest().equals(stableDigest), "our state diverged from a stable checkpoint");
      own.remove(m.seq());
      stableImage = entry.image;
      stableTree = entry.tree;
      return Outcome.NONE;
    }
    replica.context.broadcast(m);
    addVote(m);
    return checkStable(m.seq());
  }

  /** Sends our CHECKPOINTs above the stable one again (they may have been lost). */
  void rebroadcastOwn() {
    for (Own entry : own.values()) {
      if (entry.message != null) replica.context.broadcast(entry.message);
    }
  }

  Outcome onCheckpoint(Checkpoint m) {
    if (m.seq() <= stableSeq) {
      replica.drops.count(STALE_CHECKPOINT);
      return Outcome.NONE;
    }
    if (m.seq() % replica.settings.checkpointInterval() != 0) {
      replica.drops.count(OFF_INTERVAL);
      return Outcome.NONE;
    }
    if (!addVote(m)) return Outcome.NONE;
    return checkStable(m.seq());
  }

  private boolean addVote(Checkpoint m) {
    Checkpoint[] atSeq = votes.get(m.seq());
    if (atSeq != null && atSeq[m.replica()] != null) {
      boolean same = atSeq[m.replica()].stateDigest().equals(m.stateDigest());
      replica.drops.count(same ? PbftReplica.DUPLICATE : CONFLICTING_CHECKPOINT);
      return false;
    }
    if (votesPerReplica[m.replica()] >= votesPerReplicaMax) {
      forgetOldestVote(m.replica()); // keep each replica's freshest checkpoints
    }
    votes.computeIfAbsent(m.seq(), s -> new Checkpoint[replica.config.n()])[m.replica()] = m;
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

  /** The 2f+1 matching CHECKPOINTs at {@code seq}, or an empty list. */
  private List<Checkpoint> quorum(long seq) {
    Checkpoint[] atSeq = votes.get(seq);
    if (atSeq == null) return List.of();
    int quorum = 2 * replica.f + 1;
    for (Checkpoint candidate : atSeq) {
      if (candidate == null) continue;
      List<Checkpoint> matching = new ArrayList<>(quorum);
      for (Checkpoint other : atSeq) {
        if (other != null && other.stateDigest().equals(candidate.stateDigest())) {
          matching.add(other);
        }
      }
      if (matching.size() >= quorum) return matching.subList(0, quorum);
    }
    return List.of();
  }

  private Outcome checkStable(long seq) {
    if (seq <= stableSeq) return Outcome.NONE;
    List<Checkpoint> proof = quorum(seq);
    if (proof.isEmpty()) return Outcome.NONE;
    Digest digest = proof.get(0).stateDigest();
    if (replica.lastExecuted() < seq) return adopt(seq, digest, proof); // we fell behind
    Own entry = own.get(seq);
    if (entry == null || entry.message == null) return Outcome.NONE; // digest being computed
    Invariants.check(
        entry.message.stateDigest().equals(digest), "our state diverged from a stable checkpoint");
    makeStable(seq, digest, proof, entry);
    return Outcome.STABLE;
  }

  /**
   * Makes a checkpoint proved by {@code proof} stable although we have not executed up to it (seen
   * in CHECKPOINTs or in a NEW-VIEW): state transfer fetches the state.
   */
  Outcome adopt(long seq, Digest digest, List<Checkpoint> proof) {
    if (seq <= stableSeq) return Outcome.NONE;
    if (replica.lastExecuted() >= seq) {
      Own entry = own.get(seq);
      if (entry != null && entry.message != null) {
        Invariants.check(
            entry.message.stateDigest().equals(digest), "our state diverged from a checkpoint");
        makeStable(seq, digest, proof, entry);
        return Outcome.STABLE;
      }
      if (entry != null) {
        // Our digest is still being computed: keep the proof as votes, so that it completes.
        for (Checkpoint vote : proof) {
          Checkpoint[] atSeq = votes.get(seq);
          if (atSeq == null || atSeq[vote.replica()] == null) addVote(vote);
        }
        return Outcome.NONE;
      }
    }
    makeStable(seq, digest, proof, null);
    // The others keep the batches of one interval below their stable checkpoint (LogTransfer).
    return seq - replica.lastExecuted() <= replica.settings.checkpointInterval()
        ? Outcome.STABLE_FETCH_LOG
        : Outcome.STABLE_FETCH_STATE;
  }

  /**
   * @param entry our own checkpoint at {@code seq} with its tree, or null if we lack the state
   */
  private void makeStable(long seq, Digest digest, List<Checkpoint> proof, Own entry) {
    assert seq > stableSeq : "stable checkpoint went back";
    assert proof.size() == 2 * replica.f + 1 : "stable without 2f+1";
    assert entry == null || entry.tree != null : "stable before our digest";
    stableSeq = seq;
    stableDigest = digest;
    stableProof = List.copyOf(proof);
    stableImage = entry == null ? null : entry.image;
    stableTree = entry == null ? null : entry.tree;
    own.headMap(seq, true).clear();
    votes.headMap(seq, true).clear();
    java.util.Arrays.fill(votesPerReplica, 0);
    for (Checkpoint[] atSeq : votes.values()) {
      for (Checkpoint vote : atSeq) if (vote != null) votesPerReplica[vote.replica()]++;
    }
  }

  /**
   * State transfer installed the state of the stable checkpoint: freeze it and digest it on a
   * worker, to serve it to others once its tree is known.
   */
  void installed(long seq) {
    assert seq == stableSeq : "installed a state that is not the stable checkpoint";
    assert seq == replica.lastExecuted() : "installed a state we are not in";
    StateImage image = replica.execution.stateImage();
    stableImage = image;
    stableTree = null;
    replica.submit(
        crypto -> ChunkTree.of(image, crypto.sha256()),
        tree -> {
          if (stableImage != image) return; // a later checkpoint became stable meanwhile
          Invariants.check(
              tree.stateDigest().equals(stableDigest),
              "installed a state that does not match its checkpoint");
          stableTree = tree;
        });
  }

  int memoryEntries() {
    return own.size() + votes.size();
  }
}
