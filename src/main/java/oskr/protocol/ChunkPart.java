package oskr.protocol;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;

/**
 * Chunk {@code chunk} of a {@link StateImage} of {@code size} bytes, with its {@link ChunkTree}
 * path: what a state transfer answer carries besides the protocol's own fields (which checkpoint,
 * its proof). Decoding checks the shape (the chunk exists in an image of that size and has its
 * length, the path is not longer than a tree can be); {@link #verifies} checks the content.
 */
public record ChunkPart(int chunk, long size, Bytes data, List<Digest> path) {
  public ChunkPart {
    assert StateImage.sizeFits(size) : size;
    assert chunk >= 0 && chunk < StateImage.chunkCount(size) : chunk;
    assert data.length() == StateImage.chunkLength(size, chunk) : "chunk of the wrong length";
    path = List.copyOf(path);
  }

  /** The chunk of {@code image} numbered {@code chunk}, with its path in {@code tree}. */
  public static ChunkPart of(StateImage image, ChunkTree tree, int chunk) {
    return new ChunkPart(chunk, image.size(), image.chunk(chunk), tree.path(chunk));
  }

  /** Whether this is the chunk of a state whose digest is {@code stateDigest}. On a worker. */
  public boolean verifies(Digest stateDigest, Sha256 sha256) {
    return ChunkTree.verifies(stateDigest, size, chunk, data, path, sha256);
  }

  public void encode(Writer out) {
    out.u32(chunk).u64(size).bytes(data).u8(path.size());
    for (Digest digest : path) out.digest(digest);
  }

  /**
   * @param message the message's name, for the errors
   */
  public static ChunkPart decode(Reader in, String message) throws MalformedMessage {
    int chunk = in.u32();
    long size = in.u64();
    if (!StateImage.sizeFits(size)) throw MalformedMessage.of(message + ".size");
    if (chunk >= StateImage.chunkCount(size)) throw MalformedMessage.of(message + ".chunk");
    Bytes data = in.bytes(StateImage.CHUNK_BYTES);
    if (data.length() != StateImage.chunkLength(size, chunk)) {
      throw MalformedMessage.of(message + ".data");
    }
    int pathLength = in.u8();
    if (pathLength > ChunkTree.PATH_MAX) throw MalformedMessage.of(message + ".path");
    List<Digest> path = new ArrayList<>(pathLength);
    for (int i = 0; i < pathLength; i++) path.add(in.digest());
    return new ChunkPart(chunk, size, data, path);
  }
}
