package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.ChunkPart;
import oskr.protocol.StateImage;
import oskr.protocol.pbft.PbftMessage.Checkpoint;

/**
 * State transfer: chunk {@code chunk} of the {@link StateImage} ({@code size} bytes) of the stable
 * checkpoint at {@code seq}. It carries the checkpoint's proof (2f+1 matching signed CHECKPOINTs),
 * so the receiver knows the state digest, and the chunk's {@link oskr.protocol.ChunkTree} path, so
 * the receiver checks this chunk against that digest on its own; the data itself needs no
 * signature.
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
  static final int CHUNK_BYTES = StateImage.CHUNK_BYTES;

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
    new ChunkPart(chunk, size, data, path).encode(out);
  }

  static StateChunk decode(Reader in) throws MalformedMessage {
    long seq = Codecs.seq(in);
    Digest stateDigest = in.digest();
    List<Checkpoint> proof = Codecs.checkpoints(in, Limits.REPLICAS_MAX);
    ChunkPart part = ChunkPart.decode(in, "StateChunk");
    return new StateChunk(
        seq, stateDigest, proof, part.chunk(), part.size(), part.data(), part.path());
  }
}
