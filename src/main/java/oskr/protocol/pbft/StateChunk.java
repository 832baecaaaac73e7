package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Checkpoint;

/**
 * State transfer: chunk {@code chunk} of {@code chunkCount} of the snapshot of the stable
 * checkpoint at {@code seq}. Each chunk carries the checkpoint's proof (2f+1 matching signed
 * CHECKPOINTs), so the receiver knows the digest the reassembled snapshot must have; the data
 * itself needs no signature.
 */
record StateChunk(
    long seq, Digest stateDigest, List<Checkpoint> proof, int chunk, int chunkCount, Bytes data)
    implements PbftMessage {
  static final int TAG = 10;

  /** Snapshot bytes per chunk: one chunk and its proof fit a datagram. */
  static final int CHUNK_BYTES = 48 * 1024;

  /** Bounds a snapshot to {@link Limits#FRAME_MAX} times this many chunks. */
  static final int CHUNKS_MAX = 1 << 16;

  public StateChunk {
    assert seq > 0 : seq;
    assert chunk < chunkCount : chunk;
    proof = List.copyOf(proof);
  }

  void encode(Writer out) {
    out.u8(TAG).u64(seq).digest(stateDigest);
    Codecs.checkpoints(out, proof);
    out.u32(chunk).u32(chunkCount).bytes(data);
  }

  static StateChunk decode(Reader in) throws MalformedMessage {
    long seq = Codecs.seq(in);
    Digest stateDigest = in.digest();
    List<Checkpoint> proof = Codecs.checkpoints(in, Limits.REPLICAS_MAX);
    int chunk = in.u32();
    int chunkCount = in.count(CHUNKS_MAX);
    if (chunk >= chunkCount) throw MalformedMessage.of("StateChunk.chunk");
    return new StateChunk(seq, stateDigest, proof, chunk, chunkCount, in.bytes(CHUNK_BYTES));
  }
}
