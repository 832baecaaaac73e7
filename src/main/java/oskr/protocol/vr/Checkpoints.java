package oskr.protocol.vr;

import java.util.Optional;
import oskr.protocol.vr.VrMessage.GetSnapshot;

/**
 * Checkpoints (VR §5.1): the latest snapshot of the state (app and client table) and where the one
 * before it was, so that the log keeps the ops since then and no more. A checkpoint is due every
 * {@code interval} executed ops, or sooner once the ops since the last one take {@link #BYTES_MAX}
 * bytes; both count in op order from the same points at every replica (a state installed from a
 * snapshot starts at one of them), so replicas checkpoint at the same op numbers, and a replica
 * that executed an op has a checkpoint at or above every checkpoint at or below it.
 */
final class Checkpoints {
  /** A checkpoint is due once the ops since the last one take this many bytes. */
  static final long BYTES_MAX = 4L << 20;

  private final int interval;
  private SnapshotImage latest;
  private long previous;
  private int opsSince;
  private long bytesSince;

  Checkpoints(int interval) {
    this.interval = interval;
  }

  /** Counts one executed op of {@code opBytes} bytes; whether a checkpoint is due after it. */
  boolean due(int opBytes) {
    opsSince++;
    bytesSince += opBytes;
    return opsSince >= interval || bytesSince >= BYTES_MAX;
  }

  /**
   * Takes {@code image} as the latest checkpoint.
   *
   * @return the op number of the checkpoint before it (0 for none): the log may drop up to there
   */
  long take(SnapshotImage image) {
    assert image.checkpoint() > latestOp() : "checkpoints go forward";
    previous = latestOp();
    latest = image;
    opsSince = 0;
    bytesSince = 0;
    return previous;
  }

  /** A snapshot from another replica was installed: it is our checkpoint now. */
  void installed(SnapshotImage image) {
    latest = image;
    previous = image.checkpoint();
    opsSince = 0;
    bytesSince = 0;
  }

  /** The op number of the latest checkpoint; 0 (the initial state) before the first. */
  long latestOp() {
    return latest == null ? 0 : latest.checkpoint();
  }

  /** The chunk asked for, of the latest checkpoint if it covers the op asked for. */
  Optional<SnapshotChunk> chunk(GetSnapshot m, int self) {
    if (latest == null || latest.checkpoint() < m.atLeast() || m.chunk() >= latest.chunkCount()) {
      return Optional.empty();
    }
    return Optional.of(
        new SnapshotChunk(
            latest.checkpoint(), latest.size(), m.chunk(), latest.chunk(m.chunk()), self));
  }
}
