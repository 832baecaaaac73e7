package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * A block of chained HotStuff (Algorithm 3): the view it was proposed in, the QC of its parent
 * ({@code justify}), a batch of requests (possibly empty) and its proposer, the leader of its view.
 *
 * <p>Deviation: the parent is always the block {@code justify} certifies (as in LibraBFT and
 * libhotstuff), so a block of view v whose parent has a view below v-1 follows failed views without
 * the paper's dummy nodes; the commit rule checks consecutive views instead (see {@code
 * HotStuffReplica}). The digest covers everything but the QC's signatures, which any n-f valid ones
 * may stand for.
 */
record Block(long view, QuorumCert justify, List<Request> batch, int proposer) {
  Block {
    batch = List.copyOf(batch);
    assert view > justify.view() : "a block's view must be above its parent's";
  }

  Digest parent() {
    return justify.block();
  }

  /** On a worker: the block's digest, SHA-256 of {@link #encodeDigested}. */
  Digest digest(Sha256 sha256, Writer scratch) {
    scratch.reset();
    encodeDigested(scratch);
    return sha256.digest(scratch.buffer(), 0, scratch.position());
  }

  private void encodeDigested(Writer out) {
    out.u8(0xB1).u64(view).u64(justify.view()).digest(justify.block()).u8(proposer);
    out.u32(batch.size());
    for (Request request : batch) request.encodeBody(out);
  }

  void encode(Writer out) {
    out.u64(view);
    justify.encode(out);
    out.u8(proposer).u32(batch.size());
    for (Request request : batch) request.encodeBody(out);
  }

  static Block decode(Reader in) throws MalformedMessage {
    long view = in.u64();
    QuorumCert justify = QuorumCert.decode(in);
    if (view <= justify.view()) throw MalformedMessage.of("Block.view");
    int proposer = in.replicaIndex(Limits.REPLICAS_MAX);
    int count = in.count(Limits.BATCH_MAX);
    List<Request> batch = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) batch.add(Request.decodeBody(in));
    return new Block(view, justify, batch, proposer);
  }
}
