package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * A quorum certificate: n-f replicas' signed votes for the block {@code block} of view {@code
 * view}, kept as the set of their signatures (HotStuff §4.4 allows a plain signature set instead of
 * a threshold signature; this one is O(n) bytes). Every signature covers {@link #encodeVote}, the
 * same bytes a VOTE signs, so a QC is transferable: any replica can check it. The genesis QC (view
 * 0, digest {@link #GENESIS_BLOCK}) certifies the genesis block and carries no signature.
 *
 * @param signatures one per replica, in increasing replica order
 */
record QuorumCert(long view, Digest block, List<Signature> signatures) {
  /** The genesis block's digest: the root every chain extends. */
  static final Digest GENESIS_BLOCK = Digest.ZERO;

  static final QuorumCert GENESIS = new QuorumCert(0, GENESIS_BLOCK, List.of());

  /** One replica's vote signature inside a QC. */
  record Signature(int replica, Bytes signature) {}

  QuorumCert {
    signatures = List.copyOf(signatures);
    assert view > 0 || (block.equals(GENESIS_BLOCK) && signatures.isEmpty()) : "bad genesis QC";
  }

  boolean isGenesis() {
    return view == 0;
  }

  /** The bytes a vote signature covers: tag, view, block digest. */
  static void encodeVote(Writer out, long view, Digest block) {
    out.u8(HotStuffMessage.Vote.TAG).u64(view).digest(block);
  }

  void encode(Writer out) {
    out.u64(view).digest(block).u8(signatures.size());
    for (Signature signature : signatures) {
      out.u8(signature.replica()).bytes(signature.signature());
    }
  }

  /** Reads a QC; replica order and counts are checked here, signatures in verify. */
  static QuorumCert decode(Reader in) throws MalformedMessage {
    long view = in.u64();
    Digest block = in.digest();
    int count = in.u8();
    if (count > Limits.REPLICAS_MAX) throw MalformedMessage.of("QuorumCert.count");
    if (view == 0 && (count != 0 || !block.equals(GENESIS_BLOCK))) {
      throw MalformedMessage.of("QuorumCert.genesis");
    }
    List<Signature> signatures = new ArrayList<>(count);
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      if (replica <= previous) throw MalformedMessage.of("QuorumCert.order");
      previous = replica;
      signatures.add(new Signature(replica, in.bytes(Limits.SIGNATURE_MAX)));
    }
    return new QuorumCert(view, block, signatures);
  }
}
