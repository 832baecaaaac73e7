package oskr.protocol.pbft;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * The checkpointed state at one sequence number (TOCS §4.3, §5.3) as one byte string: {@code
 * u32:headerLength header app}, where the header is the op number and the client records and {@code
 * app} the app's frozen {@link App.Snapshot}. Read in chunks of {@link StateChunk#CHUNK_BYTES} (the
 * last one shorter), never as a whole. Immutable: digested on a worker, served later.
 */
final class StateImage {
  /** Bounds the header (op number and client records) of a transferred state. */
  static final int HEADER_BYTES_MAX = 1 << 30;

  /** The length prefix and the header. */
  private final Bytes header;

  private final App.Snapshot app;

  StateImage(Bytes headerContent, App.Snapshot app) {
    Invariants.check(headerContent.length() <= HEADER_BYTES_MAX, "state header too large");
    this.header = new Writer(4 + headerContent.length()).bytes(headerContent).toBytes();
    this.app = app;
  }

  long size() {
    return header.length() + app.size();
  }

  int chunkCount() {
    return chunkCount(size());
  }

  /** The chunks of a state of {@code size} bytes: at least one, even for an empty state. */
  static int chunkCount(long size) {
    long count = Math.max(1, (size + StateChunk.CHUNK_BYTES - 1) / StateChunk.CHUNK_BYTES);
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  /** The length of chunk {@code chunk} of a state of {@code size} bytes. */
  static int chunkLength(long size, int chunk) {
    long from = (long) chunk * StateChunk.CHUNK_BYTES;
    return (int) Math.max(0, Math.min(StateChunk.CHUNK_BYTES, size - from));
  }

  /** Whether a state of {@code size} bytes can be cut in chunks numbered by an int. */
  static boolean sizeFits(long size) {
    return size >= 4 && (size - 1) / StateChunk.CHUNK_BYTES < Integer.MAX_VALUE;
  }

  Bytes chunk(int chunk) {
    assert chunk < chunkCount() : chunk;
    long from = (long) chunk * StateChunk.CHUNK_BYTES;
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
