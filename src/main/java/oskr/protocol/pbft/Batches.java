package oskr.protocol.pbft;

import java.util.List;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Sha256;
import oskr.protocol.pbft.PbftMessage.Request;

/** The digest d of a batch that PRE-PREPARE, PREPARE and COMMIT carry (TOCS §4.2). */
final class Batches {
  private Batches() {}

  /** The digest of the empty batch, the null request of TOCS §4.4. Immutable. */
  static final Digest NULL_DIGEST = digest(List.of(), new Sha256(), new Writer(16));

  /** On a worker (a job or verify): hashes the canonical encoding of the batch. */
  static Digest digest(List<Request> batch, Crypto crypto) {
    return digest(batch, crypto.sha256(), crypto.scratch());
  }

  private static Digest digest(List<Request> batch, Sha256 sha256, Writer scratch) {
    Codecs.batch(scratch, batch);
    return sha256.digest(scratch.buffer(), 0, scratch.position());
  }
}
