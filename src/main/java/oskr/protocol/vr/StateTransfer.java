package oskr.protocol.vr;

import java.time.Duration;
import java.util.Optional;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;

/**
 * Fetching a checkpoint's state from another replica, chunk by chunk, when the log no longer holds
 * the ops a replica lacks (VR §5.1, §5.2: "the slow replica first brings itself almost up to date
 * using application state"). Chunks go straight to the app's {@link App.SnapshotSink} (after the
 * header: op number and client table), so nothing holds the whole state; the replica installs the
 * result. A source that does not answer is replaced by the next replica on timeout.
 */
final class StateTransfer {
  static final String STALE_CHUNK = "stale snapshot chunk";
  static final String BAD_SNAPSHOT = "snapshot does not install";

  /** A whole snapshot, its app part fed to {@code sink}: the replica checks and installs it. */
  record Installable(long checkpoint, Bytes header, App.SnapshotSink sink) {}

  private final Context<VrMessage> context;
  private final App app;
  private final Drops drops;
  private final int n;
  private final int self;
  private final Duration retry;

  /** The op the fetched checkpoint must cover; 0 when not fetching. */
  private long atLeast;

  private int source;

  /** The checkpoint being collected (0 before its chunk 0), its size and the next chunk. */
  private long target;

  private long size;
  private int nextChunk;

  /** A GET-STATE is outstanding; each retry asks the next replica. */
  private boolean logRequested;

  private int logAttempts;

  /** The header's length once read from chunk 0 (else -1), its bytes so far, the app's sink. */
  private int headerLength = -1;

  private Writer header;
  private App.SnapshotSink sink;

  StateTransfer(Context<VrMessage> context, App app, Drops drops, int n, int self, Duration retry) {
    this.context = context;
    this.app = app;
    this.drops = drops;
    this.n = n;
    this.self = self;
    this.retry = retry;
  }

  /**
   * §5.2: asks for the log after {@code lastOp} with GET-STATE, first the primary, on retries the
   * next replicas; one request outstanding.
   */
  void askForLog(long view, long lastOp, int primary) {
    if (logRequested) return;
    int target = (primary + logAttempts) % n;
    if (target == self) target = next(target);
    context.sendToReplica(target, new GetState(view, lastOp, self));
    logRequested = true;
    context.setTimer(VrTimer.STATE_TRANSFER, retry);
  }

  /** The NEW-STATE came, or (timed out) did not: the next ask goes out at once. */
  void logAnswered(boolean timedOut) {
    logRequested = false;
    if (timedOut) logAttempts++;
    if (!timedOut && !fetching()) context.cancelTimer(VrTimer.STATE_TRANSFER);
  }

  boolean fetching() {
    return atLeast > 0;
  }

  /** Fetch a checkpoint at or above {@code needed}, first from {@code preferred}. */
  void fetch(long needed, int preferred) {
    assert needed > 0 : needed;
    if (fetching() && atLeast >= needed) return;
    atLeast = needed;
    source = preferred == self ? next(self) : preferred;
    if (target < atLeast) abandonChunks();
    request();
  }

  /** The chunk asked for did not come (lost, or the source crashed): ask the next replica. */
  void onTimeout() {
    if (!fetching()) return;
    source = next(source);
    request();
  }

  /** Stops fetching (the replica left normal status, or needs the state no more). */
  void abandon() {
    logRequested = false;
    abandonChunks();
    atLeast = 0;
    context.cancelTimer(VrTimer.STATE_TRANSFER);
  }

  /** Takes a chunk; the whole snapshot once its last chunk came. */
  Optional<Installable> onChunk(SnapshotChunk m) {
    if (!fetching() || m.checkpoint() < atLeast) {
      drops.count(STALE_CHUNK);
      return Optional.empty();
    }
    if (m.checkpoint() != target) {
      if (m.checkpoint() < target || m.chunk() != 0) {
        drops.count(STALE_CHUNK);
        if (m.checkpoint() > target) restartFrom(m.replica()); // a newer checkpoint: from chunk 0
        return Optional.empty();
      }
      abandonChunks();
      target = m.checkpoint();
      size = m.size();
    }
    if (m.chunk() != nextChunk || m.size() != size) {
      drops.count(STALE_CHUNK);
      return Optional.empty();
    }
    try {
      take(m);
    } catch (MalformedMessage | IllegalArgumentException e) {
      drops.count(BAD_SNAPSHOT); // crash faults only: a bug, or another app
      restartFrom(next(m.replica()));
      return Optional.empty();
    }
    nextChunk++;
    source = m.replica();
    if (nextChunk < SnapshotImage.chunkCount(size)) {
      request();
      return Optional.empty();
    }
    Installable whole = new Installable(target, header.toBytes(), sink);
    sink = null; // handed over: the replica commits it
    abandon();
    return Optional.of(whole);
  }

  /** The install of a whole snapshot failed: fetch it again elsewhere. */
  void installFailed(long needed, int failedSource) {
    drops.count(BAD_SNAPSHOT);
    fetch(needed, next(failedSource));
  }

  private void restartFrom(int replica) {
    abandonChunks();
    source = replica;
    request();
  }

  private void request() {
    context.sendToReplica(source, new GetSnapshot(atLeast, target == 0 ? 0 : nextChunk, self));
    context.setTimer(VrTimer.STATE_TRANSFER, retry);
  }

  private int next(int replica) {
    int next = (replica + 1) % n;
    return next == self ? (next + 1) % n : next;
  }

  private void abandonChunks() {
    if (sink != null) sink.abort();
    sink = null;
    header = null;
    headerLength = -1;
    nextChunk = 0;
    target = 0;
    size = 0;
  }

  /** Feeds a chunk: the header's bytes to the header, the rest to the app. */
  private void take(SnapshotChunk m) throws MalformedMessage {
    Bytes data = m.data();
    int offset = 0;
    if (nextChunk == 0) {
      headerLength = new Reader(data.unsafeArray(), 0, 4).u32();
      if (headerLength > SnapshotImage.HEADER_BYTES_MAX || 4L + headerLength > size) {
        throw MalformedMessage.of("snapshot header length");
      }
      header = new Writer(Math.min(headerLength, SnapshotImage.CHUNK_BYTES));
      sink = app.snapshotSink();
      offset = 4;
    }
    int toHeader = Math.min(headerLength - header.position(), data.length() - offset);
    header.raw(data.unsafeArray(), offset, toHeader);
    offset += toHeader;
    if (offset < data.length()) {
      sink.accept(
          offset == 0 ? data : Bytes.copyOf(data.unsafeArray(), offset, data.length() - offset));
    }
  }
}
