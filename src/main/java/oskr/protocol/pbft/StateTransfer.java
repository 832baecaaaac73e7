package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;

/**
 * State transfer (TOCS §5.3, simplified): a replica that learns of a stable checkpoint it has not
 * reached fetches that checkpoint's snapshot chunk by chunk from the replicas that signed it,
 * checks the reassembled bytes against the checkpoint digest on a worker, installs them, then
 * fetches the committed batches above the checkpoint with their committed certificates.
 */
final class StateTransfer {
  static final String NO_TRANSFER = "no state transfer in progress";
  static final String STALE_CHUNK = "stale state chunk";
  static final String STATE_UNAVAILABLE = "state not available";
  static final String STATE_DIGEST_MISMATCH = "state digest mismatch";
  static final String BAD_SNAPSHOT = "snapshot does not decode";
  static final String STALE_COMMITTED = "committed proof already executed";
  static final String CLAIM_COUNTED = "commit claim counted, awaiting f+1";

  private final PbftReplica replica;

  /** The checkpoint being fetched, null when none. */
  private long targetSeq;

  private Digest targetDigest;
  private List<Checkpoint> targetProof;
  private Bytes[] chunks;
  private int attempts;
  private boolean verifying;
  private boolean progressTimerArmed;

  /** With HMAC: per sequence number, the digest each replica claimed committed (bounded by L). */
  private final java.util.TreeMap<Long, Digest[]> claims = new java.util.TreeMap<>();

  private long executedWhenArmed;

  StateTransfer(PbftReplica replica) {
    this.replica = replica;
  }

  boolean inProgress() {
    return targetProof != null;
  }

  /** Fetch the stable checkpoint {@code seq}, unless a later one is being fetched already. */
  void start(long seq, Digest digest, List<Checkpoint> proof) {
    if (inProgress() && targetSeq >= seq) return;
    targetSeq = seq;
    targetDigest = digest;
    targetProof = proof;
    chunks = null;
    verifying = false;
    requestNextChunk();
  }

  /** Asks a replica of the checkpoint's proof (rotating on retries) for the next missing chunk. */
  private void requestNextChunk() {
    int chunk = 0;
    if (chunks != null) {
      while (chunk < chunks.length && chunks[chunk] != null) chunk++;
      if (chunk == chunks.length) return;
    }
    int source = source();
    replica.context.sendToReplica(source, new FetchState(targetSeq, chunk, replica.index));
    replica.context.setTimer(PbftTimer.STATE_TRANSFER, replica.options.resendTimeout());
  }

  private int source() {
    List<Checkpoint> others =
        targetProof.stream().filter(c -> c.replica() != replica.index).toList();
    if (others.isEmpty()) return replica.index; // n = 1: never behind anyone
    return others.get(Math.floorMod(attempts, others.size())).replica();
  }

  void onStateTransferTimeout() {
    attempts++;
    if (inProgress() && !verifying) {
      requestNextChunk();
    } else if (!inProgress()) {
      askForLog();
    }
  }

  /** Serves a chunk of our stable checkpoint's snapshot. */
  void onFetchState(FetchState m) {
    Checkpoints checkpoints = replica.checkpoints;
    Bytes snapshot = checkpoints.stableSnapshot();
    if (snapshot == null || checkpoints.stableSeq() < m.seq() || checkpoints.stableSeq() == 0) {
      replica.drops.count(STATE_UNAVAILABLE);
      return;
    }
    int chunkCount =
        Math.max(1, (snapshot.length() + StateChunk.CHUNK_BYTES - 1) / StateChunk.CHUNK_BYTES);
    if (m.chunk() >= chunkCount || chunkCount > StateChunk.CHUNKS_MAX) {
      replica.drops.count(STATE_UNAVAILABLE);
      return;
    }
    int from = m.chunk() * StateChunk.CHUNK_BYTES;
    int length = Math.min(StateChunk.CHUNK_BYTES, snapshot.length() - from);
    Bytes data = Bytes.copyOf(snapshot.unsafeArray(), from, length);
    replica.context.sendToReplica(
        m.replica(),
        new StateChunk(
            checkpoints.stableSeq(),
            checkpoints.stableDigest(),
            checkpoints.stableProof(),
            m.chunk(),
            chunkCount,
            data));
  }

  /**
   * @param sender the replica that sent the chunk (verify checked it is a member)
   */
  void onStateChunk(StateChunk m, int sender) {
    if (m.seq() <= replica.lastExecuted) {
      replica.drops.count(STALE_CHUNK);
      return;
    }
    if (!inProgress() || m.seq() > targetSeq) {
      // A later stable checkpoint (its proof was checked by verify): fetch that one instead.
      replica.checkpoints.adopt(m.seq(), m.stateDigest(), m.proof());
      if (!inProgress() || targetSeq != m.seq()) {
        replica.drops.count(STALE_CHUNK);
        return;
      }
    }
    if (m.seq() != targetSeq || verifying) {
      replica.drops.count(STALE_CHUNK);
      return;
    }
    if (chunks != null && chunks.length != m.chunkCount() && sender == source()) {
      chunks = null; // the replica we asked disagrees with an earlier one: follow it
    }
    if (chunks == null) chunks = new Bytes[m.chunkCount()];
    if (chunks.length != m.chunkCount() || chunks[m.chunk()] != null) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return;
    }
    chunks[m.chunk()] = m.data();
    for (Bytes chunk : chunks) {
      if (chunk == null) {
        requestNextChunk();
        return;
      }
    }
    verifyAndInstall();
  }

  private void verifyAndInstall() {
    verifying = true;
    replica.context.cancelTimer(PbftTimer.STATE_TRANSFER);
    Writer out = new Writer(chunks.length * StateChunk.CHUNK_BYTES);
    for (Bytes chunk : chunks) out.raw(chunk.unsafeArray(), 0, chunk.length());
    Bytes snapshot = out.toBytes();
    long seq = targetSeq;
    replica.submit(
        crypto -> crypto.sha256().digest(snapshot.unsafeArray(), 0, snapshot.length()),
        digest -> onSnapshotDigested(seq, snapshot, digest));
  }

  private void onSnapshotDigested(long seq, Bytes snapshot, Digest digest) {
    if (!inProgress() || seq != targetSeq) return; // a later checkpoint is being fetched
    verifying = false;
    chunks = null;
    if (!digest.equals(targetDigest)) {
      replica.drops.count(STATE_DIGEST_MISMATCH);
      attempts++;
      requestNextChunk();
      return;
    }
    try {
      replica.restoreState(seq, snapshot);
    } catch (MalformedMessage | IllegalArgumentException e) {
      replica.drops.count(BAD_SNAPSHOT); // 2f+1 signed this digest: only a bug gets here
      attempts++;
      requestNextChunk();
      return;
    }
    assert replica.lastExecuted == seq : "restored to another sequence number";
    assert replica.checkpoints.stableSeq() == seq : "restored a state that is not stable";
    replica.checkpoints.installed(seq, snapshot);
    targetProof = null;
    replica.executeCommitted();
    askForLog();
  }

  /**
   * After every event: while batches wait above the last executed one, a timer checks that
   * execution moves; if it does not (COMMITs lost), we fetch the committed batches we lack.
   */
  void watchProgress() {
    if (progressTimerArmed || inProgress()) return;
    if (replica.log.isEmpty() || replica.log.lastKey() <= replica.lastExecuted) return;
    progressTimerArmed = true;
    executedWhenArmed = replica.lastExecuted;
    replica.context.setTimer(PbftTimer.PROGRESS, replica.options.resendTimeout());
  }

  void onProgressTimeout() {
    progressTimerArmed = false;
    if (inProgress() || replica.lastExecuted != executedWhenArmed) return;
    attempts++;
    askForLog();
  }

  /** Asks a replica for the committed batches above what we executed. */
  private void askForLog() {
    if (replica.config.n() == 1) return; // nobody to ask
    FetchLog fetch = new FetchLog(replica.lastExecuted, replica.index);
    if (replica.macs()) {
      replica.context.broadcast(fetch); // f+1 claims needed
      return;
    }
    int source = Math.floorMod(replica.index + 1 + attempts, replica.config.n());
    if (source == replica.index) source = Math.floorMod(source + 1, replica.config.n());
    replica.context.sendToReplica(source, fetch);
  }

  /**
   * Serves the committed batches above {@code afterSeq} that we hold: with signatures their
   * committed certificates; with HMAC each with a COMMIT of ours, MAC'd for the asker, as a claim.
   * It also retransmits our PREPAREs and COMMITs of the current view, which the asker may have lost
   * (the paper leaves retransmission to the implementation): with MACs a batch that committed at
   * one correct replica only has no f+1 claims, and the others commit it only once they get the
   * PREPAREs and COMMITs they missed.
   */
  void onFetchLog(FetchLog m) {
    for (Slot slot : replica.log.tailMap(m.afterSeq(), false).values()) {
      if (slot.isCommitted() && !replica.macs()) {
        replica.context.sendToReplica(m.replica(), slot.committedCertificate());
        continue;
      }
      if (slot.isCommitted()) sendClaim(slot.committedCertificate().prePrepare(), m.replica());
      if (slot.view() != replica.view) continue;
      Prepare prepare = slot.prepareOf(replica.index);
      if (prepare != null) replica.context.sendToReplica(m.replica(), prepare);
      Commit commit = slot.commitOf(replica.index);
      if (commit != null && !slot.isCommitted()) replica.context.sendToReplica(m.replica(), commit);
    }
  }

  /** With HMAC: our claim that {@code prePrepare} committed, a COMMIT of ours MAC'd anew. */
  private void sendClaim(PrePrepare prePrepare, int to) {
    Commit unsigned =
        new Commit(
            prePrepare.view(), prePrepare.seq(), prePrepare.digest(), replica.index, Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        claim -> replica.context.sendToReplica(to, new CommittedProof(prePrepare, List.of(claim))));
  }

  void onCommittedProof(CommittedProof m) {
    long seq = m.prePrepare().seq();
    if (seq <= replica.lastExecuted) {
      replica.drops.count(STALE_COMMITTED);
      return;
    }
    if (!replica.inWatermarks(seq)) {
      replica.drops.count(PbftReplica.OUTSIDE_WATERMARKS);
      return;
    }
    if (replica.macs()) {
      // A claim is its sender's COMMIT: it counts towards committed-local like any COMMIT.
      replica.onCommit(m.commits().get(0));
      if (replica.log.containsKey(seq) && replica.log.get(seq).isCommitted()) return;
      if (!enoughClaims(m)) return;
    }
    replica.slot(seq).installCommitted(m);
    replica.executeCommitted();
  }

  /**
   * With HMAC: whether f+1 replicas (so at least one correct) claimed this batch committed at its
   * sequence number. Claims are kept per sequence number in the window above what we executed.
   */
  private boolean enoughClaims(CommittedProof m) {
    long seq = m.prePrepare().seq();
    claims.headMap(replica.lastExecuted, true).clear();
    Commit claim = m.commits().get(0);
    Digest[] bySender = claims.computeIfAbsent(seq, s -> new Digest[replica.config.n()]);
    bySender[claim.replica()] = m.prePrepare().digest();
    int matching = 0;
    for (Digest digest : bySender) if (m.prePrepare().digest().equals(digest)) matching++;
    if (matching < replica.f + 1) {
      replica.drops.count(CLAIM_COUNTED);
      return false;
    }
    claims.remove(seq);
    return true;
  }
}
