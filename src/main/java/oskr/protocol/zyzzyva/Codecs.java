package oskr.protocol.zyzzyva;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;

/**
 * Field codecs the messages share, the statements replicas sign, and the digests of batches and
 * histories: {@code h_n = H(h_{n-1} || H(batch_n))}, {@code h_0 = 0} (SOSP'07 §3.1).
 */
final class Codecs {
  private Codecs() {}

  static final int HOST_MAX = 255;

  /** Tags of signed statements that are not messages of their own. */
  static final int ORDER_STATEMENT = 101;

  static final int VOTE_STATEMENT = 102;
  static final int CHECKPOINT_STATEMENT = 103;

  static void address(Writer out, Address address) {
    Bytes host = Bytes.utf8(address.host());
    assert host.length() <= HOST_MAX : address;
    out.bytes(host).u16(address.port());
  }

  static Address address(Reader in) throws MalformedMessage {
    Bytes host = in.bytes(HOST_MAX);
    int port = in.u16();
    if (host.length() == 0) throw MalformedMessage.of("Address.host");
    return new Address(new String(host.unsafeArray(), StandardCharsets.UTF_8), port);
  }

  /** A number that starts at 1: sequence, request and view numbers where 0 means nothing. */
  static long positive(Reader in, String field) throws MalformedMessage {
    long value = in.u64();
    if (value == 0) throw MalformedMessage.of(field);
    return value;
  }

  static void batch(Writer out, List<Request> batch) {
    out.u32(batch.size());
    for (Request request : batch) request.encode(out);
  }

  static List<Request> batch(Reader in) throws MalformedMessage {
    int count = in.count(Limits.BATCH_MAX);
    List<Request> batch = new ArrayList<>(Math.min(count, 64));
    for (int i = 0; i < count; i++) {
      if (in.u8() != Request.TAG) throw MalformedMessage.of("batch");
      batch.add(Request.decode(in));
    }
    return batch;
  }

  /** What the primary signs in an ORDER-REQ: (v, n, h_n). */
  static void orderStatement(Writer out, long view, long seq, Digest historyDigest) {
    out.u8(ORDER_STATEMENT).u64(view).u64(seq).digest(historyDigest);
  }

  /**
   * What a replica signs for its history: "at n in view v my history is h_n". The batch signature
   * of SPEC-RESPONSEs and VOTEs alike, so both make certificates.
   */
  static void voteStatement(Writer out, long view, long seq, Digest historyDigest) {
    out.u8(VOTE_STATEMENT).u64(view).u64(seq).digest(historyDigest);
  }

  static void checkpointStatement(Writer out, long seq, Digest history, Digest state) {
    out.u8(CHECKPOINT_STATEMENT).u64(seq).digest(history).digest(state);
  }

  static Digest batchDigest(List<Request> batch, Sha256 sha256, Writer scratch) {
    scratch.reset();
    batch(scratch, batch);
    return sha256.digest(scratch.buffer(), 0, scratch.position());
  }

  static Digest historyDigest(Digest previous, Digest batchDigest, Sha256 sha256) {
    byte[] both = new byte[2 * Digest.LENGTH];
    System.arraycopy(previous.toArray(), 0, both, 0, Digest.LENGTH);
    System.arraycopy(batchDigest.toArray(), 0, both, Digest.LENGTH, Digest.LENGTH);
    return sha256.digest(both, 0, both.length);
  }
}
