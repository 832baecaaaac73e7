package oskr.protocol.vr;

import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * Chunk {@code chunk} of the {@link SnapshotImage} ({@code size} bytes) of the sender's checkpoint
 * at op {@code checkpoint}: the answer to {@link VrMessage.GetSnapshot}. Crash faults only, so the
 * data needs no proof: a correct sender sends its own state.
 */
record SnapshotChunk(long checkpoint, long size, int chunk, Bytes data, int replica)
    implements VrMessage {
  static final int TAG = 14;

  SnapshotChunk {
    assert SnapshotImage.sizeFits(size) : size;
    assert chunk < SnapshotImage.chunkCount(size) : chunk;
    assert data.length() == SnapshotImage.chunkLength(size, chunk) : "chunk of the wrong length";
  }

  void encode(Writer out) {
    out.u8(TAG).u64(checkpoint).u64(size).u32(chunk).bytes(data).u8(replica);
  }

  static SnapshotChunk decode(Reader in) throws MalformedMessage {
    long checkpoint = in.u64();
    long size = in.u64();
    int chunk = in.u32();
    if (!SnapshotImage.sizeFits(size)) throw MalformedMessage.of("SnapshotChunk.size");
    if (chunk >= SnapshotImage.chunkCount(size)) throw MalformedMessage.of("SnapshotChunk.chunk");
    Bytes data = in.bytes(SnapshotImage.CHUNK_BYTES);
    if (data.length() != SnapshotImage.chunkLength(size, chunk)) {
      throw MalformedMessage.of("SnapshotChunk.data");
    }
    return new SnapshotChunk(checkpoint, size, chunk, data, in.replicaIndex(Limits.REPLICAS_MAX));
  }
}
