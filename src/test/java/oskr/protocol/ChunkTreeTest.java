package oskr.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.crypto.Sha256;

/** The chunk tree: every chunk verifies with its path alone, and nothing else does. */
class ChunkTreeTest {
  private final Sha256 sha256 = new Sha256();

  private static StateImage image(int appBytes, long seed) {
    byte[] state = new byte[appBytes];
    new Random(seed).nextBytes(state);
    return new StateImage(Bytes.utf8("header"), App.Snapshot.of(Bytes.adopt(state)));
  }

  @Test
  void everyChunkOfEveryShapeVerifiesAtItsIndexOnly() {
    for (int chunks : new int[] {1, 2, 3, 5, 8, 13}) {
      StateImage image = image((chunks - 1) * StateImage.CHUNK_BYTES + 7, chunks);
      assertThat(image.chunkCount()).isEqualTo(chunks);
      ChunkTree tree = ChunkTree.of(image, sha256);
      for (int chunk = 0; chunk < chunks; chunk++) {
        Bytes data = image.chunk(chunk);
        List<Digest> path = tree.path(chunk);
        assertThat(ChunkTree.verifies(tree.stateDigest(), image.size(), chunk, data, path, sha256))
            .isTrue();
        int other = (chunk + 1) % chunks;
        if (other != chunk && image.chunk(other).length() == data.length()) {
          assertThat(
                  ChunkTree.verifies(tree.stateDigest(), image.size(), other, data, path, sha256))
              .isFalse();
        }
      }
    }
  }

  @Test
  void aChangedByteAWrongSizeOrAShortPathFails() {
    StateImage image = image(3 * StateImage.CHUNK_BYTES, 1);
    ChunkTree tree = ChunkTree.of(image, sha256);
    byte[] data = image.chunk(2).toArray();
    List<Digest> path = tree.path(2);
    data[100] ^= 1;
    assertThat(
            ChunkTree.verifies(
                tree.stateDigest(), image.size(), 2, Bytes.adopt(data), path, sha256))
        .isFalse();
    Bytes good = image.chunk(2);
    assertThat(ChunkTree.verifies(tree.stateDigest(), image.size() + 1, 2, good, path, sha256))
        .isFalse();
    List<Digest> shorter = new ArrayList<>(path.subList(0, path.size() - 1));
    assertThat(ChunkTree.verifies(tree.stateDigest(), image.size(), 2, good, shorter, sha256))
        .isFalse();
  }

  @Test
  void theDigestDependsOnEveryChunkAndOnlyOnTheState() {
    Digest first = ChunkTree.of(image(5 * StateImage.CHUNK_BYTES, 3), sha256).stateDigest();
    Digest again = ChunkTree.of(image(5 * StateImage.CHUNK_BYTES, 3), sha256).stateDigest();
    Digest other = ChunkTree.of(image(5 * StateImage.CHUNK_BYTES, 4), sha256).stateDigest();
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }
}
