package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
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

  /** One of our own checkpoints: the snapshot, and its digest and signed message once computed. */
  private static final class Own {
    final Bytes snapshot;
    Checkpoint message;

    Own(Bytes snapshot) {
      this.snapshot = snapshot;
    }
  }

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

  /** Our snapshot at the stable checkpoint, to serve state transfer; null until we have it. */
  private Bytes stableSnapshot;

  Checkpoints(PbftReplica replica) {
    this.replica = replica;
    this.votesPerReplica = new int[replica.config.n()];
    this.votesPerReplicaMax =
        replica.settings.watermarkWindow() / replica.settings.checkpointInterval() + 2;
    this.stableSnapshot = replica.stateSnapshot();
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

  Bytes stableSnapshot() {
    return stableSnapshot;
  }

  /** After executing {@code seq}: snapshot now, digest and sign on a worker, then multicast. */
  void take(long seq) {
    assert seq % replica.settings.checkpointInterval() == 0 : seq;
    assert seq == replica.lastExecuted : "checkpoint of a state we are not in";
    Bytes snapshot = replica.stateSnapshot();
    own.put(seq, new Own(snapshot));
    int self = replica.index;
    replica.submit(
        crypto -> {
          Digest digest = crypto.sha256().digest(snapshot.unsafeArray(), 0, snapshot.length());
          Checkpoint unsigned = new Checkpoint(seq, digest, self, Bytes.EMPTY);
          return unsigned.withAuth(Auth.sign(crypto, unsigned::encodeSigned));
        },
        this::onOwnCheckpointSigned);
  }

  private void onOwnCheckpointSigned(Checkpoint m) {
    Own entry = own.get(m.seq());
    if (entry == null) return; // a later checkpoint became stable meanwhile
    entry.message = m;
    replica.context.broadcast(m);
    addVote(m);
    checkStable(m.seq());
  }

  /** Sends our CHECKPOINTs above the stable one again (they may have been lost). */
  void rebroadcastOwn() {
    for (Own entry : own.values()) {
      if (entry.message != null) replica.context.broadcast(entry.message);
    }
  }

  void onCheckpoint(Checkpoint m) {
    if (m.seq() <= stableSeq) {
      replica.drops.count(STALE_CHECKPOINT);
      return;
    }
    if (m.seq() % replica.settings.checkpointInterval() != 0) {
      replica.drops.count(OFF_INTERVAL);
      return;
    }
    if (!addVote(m)) return;
    checkStable(m.seq());
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

  private void checkStable(long seq) {
    if (seq <= stableSeq) return;
    List<Checkpoint> proof = quorum(seq);
    if (proof.isEmpty()) return;
    Digest digest = proof.get(0).stateDigest();
    if (replica.lastExecuted < seq) {
      adopt(seq, digest, proof); // we fell behind: fetch the state
      return;
    }
    Own entry = own.get(seq);
    if (entry == null || entry.message == null) return; // our digest is still being computed
    Invariants.check(
        entry.message.stateDigest().equals(digest), "our state diverged from a stable checkpoint");
    makeStable(seq, digest, proof, entry.snapshot);
  }

  /**
   * Makes a checkpoint proved by {@code proof} stable although we have not executed up to it (seen
   * in CHECKPOINTs or in a NEW-VIEW): state transfer fetches the state.
   */
  void adopt(long seq, Digest digest, List<Checkpoint> proof) {
    if (seq <= stableSeq) return;
    if (replica.lastExecuted >= seq) {
      Own entry = own.get(seq);
      if (entry != null && entry.message != null) {
        Invariants.check(
            entry.message.stateDigest().equals(digest), "our state diverged from a checkpoint");
        makeStable(seq, digest, proof, entry.snapshot);
        return;
      }
      if (entry != null) {
        // Our digest is still being computed: keep the proof as votes, so that it completes.
        for (Checkpoint vote : proof) {
          Checkpoint[] atSeq = votes.get(seq);
          if (atSeq == null || atSeq[vote.replica()] == null) addVote(vote);
        }
        return;
      }
    }
    makeStable(seq, digest, proof, null);
    replica.stateTransfer.start(seq, digest, proof);
  }

  private void makeStable(long seq, Digest digest, List<Checkpoint> proof, Bytes snapshot) {
    assert seq > stableSeq : "stable checkpoint went back";
    assert proof.size() == 2 * replica.f + 1 : "stable without 2f+1";
    stableSeq = seq;
    stableDigest = digest;
    stableProof = List.copyOf(proof);
    stableSnapshot = snapshot;
    own.headMap(seq, true).clear();
    votes.headMap(seq, true).clear();
    java.util.Arrays.fill(votesPerReplica, 0);
    for (Checkpoint[] atSeq : votes.values()) {
      for (Checkpoint vote : atSeq) if (vote != null) votesPerReplica[vote.replica()]++;
    }
    replica.collectGarbage(seq);
    replica.requests.proposeBatches();
  }

  /** State transfer installed the snapshot of the stable checkpoint. */
  void installed(long seq, Bytes snapshot) {
    assert seq == stableSeq : "installed a state that is not the stable checkpoint";
    stableSnapshot = snapshot;
  }

  int memoryEntries() {
    return own.size() + votes.size();
  }
}
