package oskr.protocol.pbft;

import java.util.List;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.protocol.ChunkTree;
import oskr.protocol.ImageAssembly;
import oskr.protocol.StateImage;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.FetchState;

/**
 * State transfer (TOCS §5.3, simplified): a replica that learns of a stable checkpoint it cannot
 * reach from the log fetches that checkpoint's {@link StateImage} chunk by chunk, in order, from
 * the replicas that signed it. {@link Pbft#verify} checked each chunk against the agreed digest
 * ({@link ChunkTree}), so the replica feeds it at once to the app's {@link App.SnapshotSink} (after
 * the header: op number and client records); nothing holds the whole state. The last chunk commits
 * the install; the batches above come from the log ({@link LogTransfer}).
 */
final class StateTransfer {
  static final String STALE_CHUNK = "stale state chunk";
  static final String STATE_UNAVAILABLE = "state not available";
  static final String CHUNK_MISMATCH = "state chunk does not match its digest";
  static final String CONFLICTING_STATE = "state chunk of another digest";
  static final String BAD_SNAPSHOT = "snapshot does not install";

  private final PbftReplica replica;

  /** The checkpoint being fetched; {@code targetProof} is null when none. */
  private long targetSeq;

  private Digest targetDigest;
  private List<Checkpoint> targetProof;
  private int attempts;

  /** The chunks taken so far (header here, the app's part fed to its sink); null before chunk 0. */
  private ImageAssembly assembly;

  /** A state fetched completely, for the replica to install: header here, the app's part fed. */
  record Fetched(long seq, Bytes header, App.SnapshotSink sink) {}

  StateTransfer(PbftReplica replica) {
    this.replica = replica;
  }

  boolean inProgress() {
    return targetProof != null;
  }

  /** Fetch the stable checkpoint {@code seq}, unless a later one is being fetched already. */
  void start(long seq, Digest digest, List<Checkpoint> proof) {
    if (inProgress() && targetSeq >= seq) return;
    abandonChunks();
    targetSeq = seq;
    targetDigest = digest;
    targetProof = proof;
    requestNextChunk();
  }

  /** Forgets the chunks fetched so far (and what the app took of them). */
  private void abandonChunks() {
    if (assembly != null) assembly.abort();
    assembly = null;
  }

  /** The next chunk to fetch. */
  private int nextChunk() {
    return assembly == null ? 0 : assembly.nextChunk();
  }

  /** Asks a replica of the checkpoint's proof (rotating on retries) for the next chunk. */
  private void requestNextChunk() {
    replica.context.sendToReplica(source(), new FetchState(targetSeq, nextChunk(), replica.index));
    replica.context.setTimer(PbftTimer.STATE_TRANSFER, replica.options.resendTimeout());
  }

  private int source() {
    List<Checkpoint> others =
        targetProof.stream().filter(c -> c.replica() != replica.index).toList();
    if (others.isEmpty()) return replica.index; // n = 1: never behind anyone
    return others.get(Math.floorMod(attempts, others.size())).replica();
  }

  /** The chunk asked for did not come (lost, or the source is faulty): ask the next replica. */
  void onStateTransferTimeout() {
    if (!inProgress()) return;
    attempts++;
    requestNextChunk();
  }

  /** Serves a chunk of our stable checkpoint's state, with its path in the chunk tree. */
  void onFetchState(FetchState m) {
    Checkpoints checkpoints = replica.checkpoints;
    StateImage image = checkpoints.stableImage();
    ChunkTree tree = checkpoints.stableTree();
    if (tree == null || checkpoints.stableSeq() < m.seq() || checkpoints.stableSeq() == 0) {
      replica.drops.count(STATE_UNAVAILABLE);
      return;
    }
    if (m.chunk() >= tree.chunkCount()) {
      replica.drops.count(STATE_UNAVAILABLE);
      return;
    }
    assert image.chunkCount() == tree.chunkCount() : "tree of another image";
    if (!replica.fetchBudget.takeChunk(m.replica())) return;
    replica.context.sendToReplica(
        m.replica(),
        new StateChunk(
            checkpoints.stableSeq(),
            checkpoints.stableDigest(),
            checkpoints.stableProof(),
            m.chunk(),
            image.size(),
            image.chunk(m.chunk()),
            tree.path(m.chunk())));
  }

  /**
   * Whether {@code m} shows a stable checkpoint above what we execute and fetch (its proof was
   * checked by verify): the replica adopts it, and we fetch that one instead.
   */
  boolean showsLaterCheckpoint(StateChunk m) {
    return m.seq() > replica.lastExecuted() && (!inProgress() || m.seq() > targetSeq);
  }

  /**
   * A chunk that {@link Pbft#verify} found to belong to the state of its (proved) digest.
   *
   * @return the whole state once this was its last chunk, else null
   */
  Fetched onStateChunk(StateChunk m) {
    if (m.seq() <= replica.lastExecuted()
        || !inProgress()
        || m.seq() != targetSeq
        || m.chunk() != nextChunk()) {
      replica.drops.count(STALE_CHUNK);
      return null;
    }
    if (!m.stateDigest().equals(targetDigest)
        || (assembly != null && m.size() != assembly.size())) {
      replica.drops.count(CONFLICTING_STATE); // two stable digests at one sequence number
      return null;
    }
    assert m.chunk() < StateImage.chunkCount(m.size()) : "verify let a chunk out of range pass";
    try {
      if (assembly == null)
        assembly = new ImageAssembly(m.size(), replica.execution.snapshotSink());
      assembly.take(m.data());
    } catch (MalformedMessage | IllegalArgumentException e) {
      restartAfterBadSnapshot(); // 2f+1 signed this digest: only a bug gets here
      return null;
    }
    if (!assembly.complete()) {
      requestNextChunk();
      return null;
    }
    return new Fetched(targetSeq, assembly.header(), assembly.sink());
  }

  /** The replica installed the {@link Fetched} state: the transfer is over. */
  void installed() {
    assembly = null; // committed to the app: not to abort
    targetProof = null;
    replica.context.cancelTimer(PbftTimer.STATE_TRANSFER);
  }

  /** The fetched state did not install: fetch it again, from another replica. */
  void restartAfterBadSnapshot() {
    replica.drops.count(BAD_SNAPSHOT);
    abandonChunks();
    attempts++;
    requestNextChunk();
  }
}
