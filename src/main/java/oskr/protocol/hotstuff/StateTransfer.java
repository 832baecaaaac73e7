package oskr.protocol.hotstuff;

import java.time.Duration;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.protocol.ChunkPart;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.ImageAssembly;
import oskr.protocol.StateImage;
import oskr.protocol.hotstuff.HotStuffMessage.FetchState;
import oskr.protocol.hotstuff.HotStuffMessage.StateChunk;

/**
 * State transfer: a replica that cannot execute (it skipped committed history it could not fetch)
 * fetches the state of a proven checkpoint chunk by chunk, in order, from a replica that signed it
 * (another on each retry). {@link HotStuff#verify} checked each chunk against the digest the chunk
 * names; it is taken only if that is the proven digest, and fed at once to the app's {@link
 * App.SnapshotSink}, so nothing holds the whole state. Serving answers only for this replica's
 * latest proven checkpoint, within each requester's {@link ChunkBudget}.
 */
final class StateTransfer {
  static final String STALE_CHUNK = "stale state chunk";
  static final String UNPROVEN_STATE = "state chunk of an unproven digest";
  static final String STATE_UNAVAILABLE = "state not available";
  static final String BAD_SNAPSHOT = "snapshot does not install";

  /** A state fetched completely, for the replica to install: header here, the app's part fed. */
  record Fetched(Checkpoints.Proven checkpoint, Bytes header, App.SnapshotSink sink) {}

  private final Context<HotStuffMessage> context;
  private final int index;
  private final int n;
  private final Duration retryDelay;
  private final Drops drops;
  private final Execution execution;
  private final ChunkBudget budget;

  /** The checkpoint being fetched, or null. */
  private Checkpoints.Proven target;

  private int attempts;

  /** The chunks taken so far; null before chunk 0. */
  private ImageAssembly assembly;

  StateTransfer(
      Context<HotStuffMessage> context,
      int index,
      int n,
      Duration retryDelay,
      Drops drops,
      Execution execution,
      ChunkBudget budget) {
    this.context = context;
    this.index = index;
    this.n = n;
    this.retryDelay = retryDelay;
    this.drops = drops;
    this.execution = execution;
    this.budget = budget;
  }

  boolean inProgress() {
    return target != null;
  }

  /** The height of the checkpoint being fetched; call only while in progress. */
  long targetHeight() {
    return target.height();
  }

  /** Fetches the state of {@code proven}, unless one as late is being fetched already. */
  void start(Checkpoints.Proven proven) {
    if (target != null && target.height() >= proven.height()) return;
    abandonChunks();
    target = proven;
    requestNextChunk();
  }

  /** Gives the transfer up (what the app took is forgotten). */
  void cancel() {
    abandonChunks();
    target = null;
    context.cancelTimer(HotStuffTimer.STATE_TRANSFER);
  }

  private void abandonChunks() {
    if (assembly != null) assembly.abort();
    assembly = null;
  }

  private int nextChunk() {
    return assembly == null ? 0 : assembly.nextChunk();
  }

  /**
   * Asks for the next chunk: first a replica of the checkpoint's proof, on each retry the next
   * replica (any correct one that executed up to the checkpoint serves it).
   */
  private void requestNextChunk() {
    int first = target.proof().getFirst().replica();
    int source = Math.floorMod(first + attempts, n);
    if (source == index) source = (source + 1) % n;
    context.sendToReplica(source, new FetchState(target.height(), nextChunk(), index));
    context.setTimer(HotStuffTimer.STATE_TRANSFER, retryDelay);
  }

  /** The chunk asked for did not come (lost, or its source is faulty): ask the next replica. */
  void onTimeout() {
    if (target == null) return;
    attempts++;
    requestNextChunk();
  }

  /**
   * A chunk {@link HotStuff#verify} found to belong to the state of the digest it names.
   *
   * @return the whole state once this was its last chunk, else null
   */
  Fetched onChunk(StateChunk m) {
    if (target == null || m.height() != target.height()) {
      drops.count(STALE_CHUNK);
      return null;
    }
    ChunkPart part = m.part();
    if (!m.stateDigest().equals(target.stateDigest())
        || (assembly != null && part.size() != assembly.size())) {
      drops.count(UNPROVEN_STATE); // a faulty replica's state, self-consistent but not proven
      return null;
    }
    if (part.chunk() != nextChunk()) {
      drops.count(STALE_CHUNK);
      return null;
    }
    try {
      if (assembly == null) assembly = new ImageAssembly(part.size(), execution.snapshotSink());
      assembly.take(part.data());
    } catch (MalformedMessage | IllegalArgumentException e) {
      restartAfterBadSnapshot(); // f+1 signed this digest: only a bug gets here
      return null;
    }
    if (!assembly.complete()) {
      requestNextChunk();
      return null;
    }
    return new Fetched(target, assembly.header(), assembly.sink());
  }

  /** The replica installed the {@link Fetched} state: the transfer is over. */
  void installed() {
    assembly = null; // committed to the app: not to abort
    target = null;
    context.cancelTimer(HotStuffTimer.STATE_TRANSFER);
  }

  /** The fetched state did not install: fetch it again, from another replica. */
  void restartAfterBadSnapshot() {
    drops.count(BAD_SNAPSHOT);
    abandonChunks();
    attempts++;
    requestNextChunk();
  }

  /**
   * Serves a chunk of the latest proven checkpoint's state, if asked for that one and in budget.
   */
  void serve(FetchState m, Checkpoints checkpoints) {
    Checkpoints.Proven proven = checkpoints.proven();
    StateImage image = checkpoints.provenImage();
    if (m.replica() == index
        || image == null
        || proven.height() != m.height()
        || m.chunk() >= image.chunkCount()) {
      drops.count(STATE_UNAVAILABLE);
      return;
    }
    if (!budget.take(m.replica())) return;
    ChunkPart part = ChunkPart.of(image, checkpoints.provenTree(), m.chunk());
    context.sendToReplica(
        m.replica(), new StateChunk(proven.height(), proven.stateDigest(), part, index));
  }
}
