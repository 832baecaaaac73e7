package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;

/**
 * State transfer: chunk {@code chunk} of the {@link StateImage} ({@code size} bytes) of the stable
 * checkpoint at {@code seq}. It carries the checkpoint's proof (2f+1 matching signed CHECKPOINTs),
 * so the receiver knows the state digest, and the chunk's {@link ChunkTree} path, so the receiver
 * checks this chunk against that digest on its own; the data itself needs no signature.
 */
record StateChunk(
    long seq,
    Digest stateDigest,
    List<Checkpoint> proof,
    int chunk,
    long size,
    Bytes data,
    List<Digest> path)
    implements PbftMessage {
  static final int TAG = 10;

  /** State bytes per chunk: one chunk with its proof and path fits a datagram. */
  static final int CHUNK_BYTES = 48 * 1024;

  public StateChunk {
    assert seq > 0 : seq;
    assert StateImage.sizeFits(size) : size;
    assert chunk < StateImage.chunkCount(size) : chunk;
    assert data.length() == StateImage.chunkLength(size, chunk) : "chunk of the wrong length";
    proof = List.copyOf(proof);
    path = List.copyOf(path);
  }

  void encode(Writer out) {
    out.u8(TAG).u64(seq).digest(stateDigest);
    Codecs.checkpoints(out, proof);
    out.u32(chunk).u64(size).bytes(data).u8(path.size());
    for (Digest digest : path) out.digest(digest);
  }

  static StateChunk decode(Reader in) throws MalformedMessage {
    long seq = Codecs.seq(in);
    Digest stateDigest = in.digest();
    List<Checkpoint> proof = Codecs.checkpoints(in, Limits.REPLICAS_MAX);
    int chunk = in.u32();
    long size = in.u64();
    if (!StateImage.sizeFits(size)) throw MalformedMessage.of("StateChunk.size");
    if (chunk >= StateImage.chunkCount(size)) throw MalformedMessage.of("StateChunk.chunk");
    Bytes data = in.bytes(CHUNK_BYTES);
    if (data.length() != StateImage.chunkLength(size, chunk)) {
      throw MalformedMessage.of("StateChunk.data");
    }
    int pathLength = in.u8();
    if (pathLength > ChunkTree.PATH_MAX) throw MalformedMessage.of("StateChunk.path");
    List<Digest> path = new ArrayList<>(pathLength);
    for (int i = 0; i < pathLength; i++) path.add(in.digest());
    return new StateChunk(seq, stateDigest, proof, chunk, size, data, path);
  }
}
