package oskr.protocol;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * A checkpointed state as one byte string: {@code u32:headerLength header app}, where the header is
 * the protocol's own part (PBFT: op number and client records) and {@code app} the app's frozen
 * {@link App.Snapshot}. Read in chunks of {@link #CHUNK_BYTES} (the last one shorter), never as a
 * whole. Immutable: digested on a worker, served later. Shared by the protocols with state transfer
 * (PBFT, HotStuff).
 */
public final class StateImage {
  /** State bytes per chunk: one chunk with its proof and path fits a datagram. */
  public static final int CHUNK_BYTES = 48 * 1024;

  /** Bounds the header (op number and client records) of a transferred state. */
  public static final int HEADER_BYTES_MAX = 1 << 30;

  /** The length prefix and the header. */
  private final Bytes header;

  private final App.Snapshot app;

  public StateImage(Bytes headerContent, App.Snapshot app) {
    if (headerContent.length() > HEADER_BYTES_MAX) {
      throw new IllegalStateException("invariant violated: state header too large");
    }
    this.header = new Writer(4 + headerContent.length()).bytes(headerContent).toBytes();
    this.app = app;
  }

  public long size() {
    return header.length() + app.size();
  }

  public int chunkCount() {
    return chunkCount(size());
  }

  /** The chunks of a state of {@code size} bytes: at least one, even for an empty state. */
  public static int chunkCount(long size) {
    long count = Math.max(1, (size + CHUNK_BYTES - 1) / CHUNK_BYTES);
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  /** The length of chunk {@code chunk} of a state of {@code size} bytes. */
  public static int chunkLength(long size, int chunk) {
    long from = (long) chunk * CHUNK_BYTES;
    return (int) Math.max(0, Math.min(CHUNK_BYTES, size - from));
  }

  /** Whether a state of {@code size} bytes can be cut in chunks numbered by an int. */
  public static boolean sizeFits(long size) {
    return size >= 4 && (size - 1) / CHUNK_BYTES < Integer.MAX_VALUE;
  }

  public Bytes chunk(int chunk) {
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
