package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * REJECT(v, n, d, U, i): backup i cannot authenticate the requests at positions U of the batch that
 * PRE-PREPARE(v, n, d) orders, and no f PREPAREs vouched for it; it will never PREPARE d. Sent to
 * the primary only, with an authenticator (a signature with signatures). Not in the paper: see the
 * faulty-client deviation in {@code package-info.java}.
 */
public record Reject(
    long view, long seq, Digest digest, List<Integer> unverified, int replica, Bytes auth)
    implements PbftMessage {
  static final int TAG = 20;

  public Reject {
    assert seq > 0 : seq; // pair: the decoder rejects seq <= 0
    unverified = List.copyOf(unverified);
  }

  void encodeSigned(Writer out) {
    out.u8(TAG).u64(view).u64(seq).digest(digest).u32(unverified.size());
    for (int position : unverified) out.u32(position);
    out.u8(replica);
  }

  void encode(Writer out) {
    encodeSigned(out);
    out.bytes(auth);
  }

  static Reject decode(Reader in) throws MalformedMessage {
    long view = in.u64();
    long seq = Codecs.seq(in);
    Digest digest = in.digest();
    int count = in.count(Limits.BATCH_MAX);
    List<Integer> unverified = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      int position = in.u32();
      if (position < 0 || position >= Limits.BATCH_MAX) {
        throw MalformedMessage.of("Reject.unverified");
      }
      unverified.add(position);
    }
    int replica = in.replicaIndex(Limits.REPLICAS_MAX);
    return new Reject(view, seq, digest, unverified, replica, in.bytes(Request.AUTHENTICATOR_MAX));
  }

  Reject withAuth(Bytes auth) {
    return new Reject(view, seq, digest, unverified, replica, auth);
  }
}
