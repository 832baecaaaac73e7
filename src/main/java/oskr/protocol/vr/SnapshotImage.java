package oskr.protocol.vr;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * A checkpoint's state (VR §5.1) as one byte string, read in chunks and never held whole: {@code
 * u32:headerLength header app}, where the header is the checkpoint's op number and the client
 * table, and {@code app} the app's frozen {@link App.Snapshot}. Immutable.
 */
final class SnapshotImage {
  /** State bytes per chunk: one chunk fits a datagram. */
  static final int CHUNK_BYTES = 48 * 1024;

  /** Bounds the header (op number and client table) of a transferred state. */
  static final int HEADER_BYTES_MAX = 1 << 30;

  private final long checkpoint;

  /** The length prefix and the header. */
  private final Bytes header;

  private final App.Snapshot app;

  SnapshotImage(long checkpoint, Bytes headerContent, App.Snapshot app) {
    Invariants.check(headerContent.length() <= HEADER_BYTES_MAX, "state header too large");
    this.checkpoint = checkpoint;
    this.header = new Writer(4 + headerContent.length()).bytes(headerContent).toBytes();
    this.app = app;
  }

  long checkpoint() {
    return checkpoint;
  }

  long size() {
    return header.length() + app.size();
  }

  int chunkCount() {
    return chunkCount(size());
  }

  /** The chunks of a state of {@code size} bytes: at least one. */
  static int chunkCount(long size) {
    long count = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  /** The length of chunk {@code chunk} of a state of {@code size} bytes. */
  static int chunkLength(long size, int chunk) {
    long from = (long) chunk * CHUNK_BYTES;
    return (int) Math.max(0, Math.min(CHUNK_BYTES, size - from));
  }

  /** Whether a state of {@code size} bytes has a header length and chunks numbered by an int. */
  static boolean sizeFits(long size) {
    return size >= 4 && (size - 1) / CHUNK_BYTES < Integer.MAX_VALUE;
  }

  Bytes chunk(int chunk) {
    assert chunk < chunkCount() : chunk;
    long from = (long) chunk * CHUNK_BYTES;
    int length = chunkLength(size(), chunk);
    if (from >= header.length()) return app.read(from - header.length(), length);
    int fromHeader = (int) Math.min(length, header.length() - from);
    Writer out = new Writer(length);
    out.raw(header.unsafeArray(), (int) from, fromHeader);
    if (fromHeader < length) {
      Bytes fromApp = app.read(0, length - fromHeader);
      out.raw(fromApp.unsafeArray(), 0, fromApp.length());
    }
    return out.toBytes();
  }
}
