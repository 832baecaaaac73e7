package oskr.protocol;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * A {@link StateImage} being fetched, taken chunk by chunk in order: the protocol's header is
 * collected here (it is small), the app's part goes to the app's {@link App.SnapshotSink} at once,
 * so nothing holds the whole state. Each chunk was verified against the agreed digest before it
 * gets here ({@link ChunkTree#verifies}).
 */
public final class ImageAssembly {
  private final long size;
  private final App.SnapshotSink sink;

  /** The header's length once read from chunk 0 (else -1), and its bytes so far. */
  private int headerLength = -1;

  private Writer header;
  private int nextChunk;

  /**
   * @param size the image's size in bytes, as the agreed digest covers it
   * @param sink where the app's part goes; aborted by {@link #abort}
   */
  public ImageAssembly(long size, App.SnapshotSink sink) {
    this.size = size;
    this.sink = sink;
  }

  public long size() {
    return size;
  }

  /** The chunk to take next. */
  public int nextChunk() {
    return nextChunk;
  }

  /** Whether every chunk was taken. */
  public boolean complete() {
    return nextChunk >= StateImage.chunkCount(size);
  }

  /**
   * Takes the next chunk: the header's bytes to the header, the rest to the app.
   *
   * @throws MalformedMessage if chunk 0 announces a header that cannot fit the image
   * @throws IllegalArgumentException if the app's sink refuses its bytes
   */
  public void take(Bytes data) throws MalformedMessage {
    assert !complete() : "a chunk past the image";
    assert data.length() == StateImage.chunkLength(size, nextChunk) : "chunk of the wrong length";
    int offset = 0;
    if (nextChunk == 0) {
      headerLength = new Reader(data.unsafeArray(), 0, 4).u32();
      if (headerLength > StateImage.HEADER_BYTES_MAX || 4L + headerLength > size) {
        throw MalformedMessage.of("state header length");
      }
      header = new Writer(Math.min(headerLength, StateImage.CHUNK_BYTES));
      offset = 4;
    }
    int toHeader = Math.min(headerLength - header.position(), data.length() - offset);
    header.raw(data.unsafeArray(), offset, toHeader);
    offset += toHeader;
    if (offset < data.length()) {
      sink.accept(
          offset == 0 ? data : Bytes.copyOf(data.unsafeArray(), offset, data.length() - offset));
    }
    nextChunk++;
  }

  /** The protocol's header; once {@link #complete()}. */
  public Bytes header() {
    assert complete() : "header of an image not fetched";
    return header.toBytes();
  }

  /** The app's sink, fed every app byte once {@link #complete()}: the caller commits it. */
  public App.SnapshotSink sink() {
    return sink;
  }

  /** The image will not be completed: the app forgets what it took. */
  public void abort() {
    sink.abort();
  }
}
