package oskr.protocol;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;

/**
 * The state digest that CHECKPOINTs agree on: a Merkle tree over the SHA-256 of each chunk of a
 * {@link StateImage}, its root hashed with the state's size. A replica fetching a state checks
 * every chunk on arrival against the agreed digest, with the chunk's path of sibling digests, so a
 * faulty replica's lying chunk is rejected alone and fetched again elsewhere.
 *
 * <p>Deviation: TOCS §5.3.2 keeps a partition tree with incremental AdHash digests, so that a
 * checkpoint rehashes only what changed; here every checkpoint hashes the whole state, chunk by
 * chunk, on a worker. Leaves, inner nodes and the root are hashed with distinct prefixes; a level
 * with an odd count passes its last node up unchanged.
 */
public final class ChunkTree {
  private static final byte LEAF = 0;
  private static final byte NODE = 1;
  private static final byte ROOT = 2;

  /** Path lengths are bounded by the depth of a tree of {@code Integer.MAX_VALUE} leaves. */
  public static final int PATH_MAX = 32;

  /** {@code levels.get(0)} holds the leaves, the last level the root alone. */
  private final List<Digest[]> levels;

  private final Digest stateDigest;

  private ChunkTree(List<Digest[]> levels, Digest stateDigest) {
    this.levels = levels;
    this.stateDigest = stateDigest;
  }

  /** Hashes every chunk of {@code image}: O(state) time, on a worker. */
  public static ChunkTree of(StateImage image, Sha256 sha256) {
    Digest[] leaves = new Digest[image.chunkCount()];
    for (int chunk = 0; chunk < leaves.length; chunk++) {
      leaves[chunk] = leaf(image.chunk(chunk), sha256);
    }
    List<Digest[]> levels = new ArrayList<>();
    levels.add(leaves);
    while (levels.getLast().length > 1) levels.add(parents(levels.getLast(), sha256));
    return new ChunkTree(levels, root(image.size(), levels.getLast()[0], sha256));
  }

  public Digest stateDigest() {
    return stateDigest;
  }

  public int chunkCount() {
    return levels.getFirst().length;
  }

  /** The sibling digests from leaf {@code chunk} up to the root (none where a node passes up). */
  public List<Digest> path(int chunk) {
    List<Digest> path = new ArrayList<>();
    int index = chunk;
    for (int level = 0; level < levels.size() - 1; level++) {
      Digest[] nodes = levels.get(level);
      int sibling = index ^ 1;
      if (sibling < nodes.length) path.add(nodes[sibling]);
      index /= 2;
    }
    return path;
  }

  /**
   * Whether {@code data} is chunk {@code chunk} of a state of {@code size} bytes whose digest is
   * {@code stateDigest}, by its {@code path}. The caller checked the chunk's length.
   */
  public static boolean verifies(
      Digest stateDigest, long size, int chunk, Bytes data, List<Digest> path, Sha256 sha256) {
    int count = StateImage.chunkCount(size);
    if (chunk >= count) return false;
    Digest node = leaf(data, sha256);
    int index = chunk;
    int used = 0;
    for (int width = count; width > 1; width = (width + 1) / 2) {
      int sibling = index ^ 1;
      if (sibling < width) {
        if (used == path.size()) return false;
        Digest other = path.get(used++);
        node = (index & 1) == 0 ? node(node, other, sha256) : node(other, node, sha256);
      }
      index /= 2;
    }
    return used == path.size() && root(size, node, sha256).equals(stateDigest);
  }

  private static Digest[] parents(Digest[] children, Sha256 sha256) {
    Digest[] parents = new Digest[(children.length + 1) / 2];
    for (int i = 0; i < parents.length; i++) {
      int left = 2 * i;
      parents[i] =
          left + 1 < children.length
              ? node(children[left], children[left + 1], sha256)
              : children[left];
    }
    return parents;
  }

  private static Digest leaf(Bytes data, Sha256 sha256) {
    return sha256.update(new byte[] {LEAF}, 0, 1).digest(data.unsafeArray(), 0, data.length());
  }

  private static Digest node(Digest left, Digest right, Sha256 sha256) {
    byte[] both = new Writer(1 + 2 * Digest.LENGTH).u8(NODE).digest(left).digest(right).toArray();
    return sha256.digest(both, 0, both.length);
  }

  private static Digest root(long size, Digest top, Sha256 sha256) {
    byte[] bytes = new Writer(1 + 8 + Digest.LENGTH).u8(ROOT).u64(size).digest(top).toArray();
    return sha256.digest(bytes, 0, bytes.length);
  }
}
