package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The messages of PBFT, named as in Castro and Liskov, TOCS 2002. {@code auth} is a signature over
 * {@code encodeSigned} (the canonical bytes without the auth field). Replica indexes are decoded
 * below {@link Limits#REPLICAS_MAX}; {@link Pbft#verify} checks them against the config.
 */
public sealed interface PbftMessage
    permits PbftMessage.Request,
        PbftMessage.Reply,
        PbftMessage.PrePrepare,
        PbftMessage.Prepare,
        PbftMessage.Commit,
        PbftMessage.Checkpoint,
        ViewChange,
        NewView,
        PbftMessage.FetchState,
        StateChunk,
        PbftMessage.FetchLog,
        CommittedProof,
        Reject {

  /** The most sequence numbers any list in a message may cover (the largest watermark window). */
  int WINDOW_MAX = PbftSettings.WATERMARK_WINDOW_MAX;

  /**
   * REQUEST(o, t, c) of TOCS §4.2, with the client's address so that every replica can reply.
   * Request numbers start at 1 and grow per client. With {@code --auth hmac}, {@code clientKey} is
   * the client's secp256k1 public key and {@code auth} an authenticator: one MAC per replica under
   * the key the client shares with it; both are empty with signatures.
   */
  record Request(
      long clientId, long requestNumber, Address client, Bytes op, Bytes clientKey, Bytes auth)
      implements PbftMessage {
    static final int TAG = 1;
    static final int CLIENT_KEY_MAX = 65;
    static final int AUTHENTICATOR_MAX = Limits.REPLICAS_MAX * 32;

    public Request {
      assert requestNumber > 0 : requestNumber; // pair: the decoder rejects requestNumber <= 0
    }

    Request(long clientId, long requestNumber, Address client, Bytes op) {
      this(clientId, requestNumber, client, op, Bytes.EMPTY, Bytes.EMPTY);
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).i64(clientId).u64(requestNumber);
      Codecs.address(out, client);
      out.bytes(op).bytes(clientKey);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Request decode(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Request.requestNumber");
      Address client = Codecs.address(in);
      Bytes op = in.bytes(Limits.OP_MAX);
      Bytes clientKey = in.bytes(CLIENT_KEY_MAX);
      return new Request(
          clientId, requestNumber, client, op, clientKey, in.bytes(AUTHENTICATOR_MAX));
    }

    Request withAuth(Bytes clientKey, Bytes auth) {
      return new Request(clientId, requestNumber, client, op, clientKey, auth);
    }
  }

  /**
   * REPLY(v, t, c, i, r) of TOCS §4.2, signed by replica i. Deviation: with {@code retryFrom} above
   * 0 it is a refusal instead (no result): the client table refused request t, which never
   * executes, and the client sends its operation again as a request numbered {@code retryFrom} or
   * higher (see {@code ClientRecords}), because a bounded table cannot tell an evicted client's old
   * request from a new client's.
   */
  record Reply(
      long view,
      long clientId,
      long requestNumber,
      int replica,
      Bytes result,
      long retryFrom,
      Bytes auth)
      implements PbftMessage {
    static final int TAG = 2;

    public Reply {
      assert requestNumber > 0 : requestNumber;
      assert retryFrom == 0 || result.length() == 0 : "a refusal with a result";
    }

    /** A reply with a result. */
    public Reply(
        long view, long clientId, long requestNumber, int replica, Bytes result, Bytes auth) {
      this(view, clientId, requestNumber, replica, result, 0, auth);
    }

    boolean isRefusal() {
      return retryFrom > 0;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).i64(clientId).u64(requestNumber).u8(replica).bytes(result);
      out.u64(retryFrom);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Reply decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Reply.requestNumber");
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      Bytes result = in.bytes(Limits.OP_MAX);
      long retryFrom = in.u64();
      if (retryFrom != 0 && result.length() != 0) throw MalformedMessage.of("Reply.retryFrom");
      return new Reply(
          view,
          clientId,
          requestNumber,
          replica,
          result,
          retryFrom,
          in.bytes(Limits.SIGNATURE_MAX));
    }

    Reply withAuth(Bytes auth) {
      return new Reply(view, clientId, requestNumber, replica, result, retryFrom, auth);
    }
  }

  /**
   * PRE-PREPARE(v, n, d) of TOCS §4.2 with the batch it orders (the paper piggybacks the request).
   * The primary of v signs the header only (with HMAC: an authenticator); {@link Pbft#verify}
   * checks that d digests the batch. An empty batch is the null request of a view change.
   */
  record PrePrepare(long view, long seq, Digest digest, List<Request> batch, Bytes auth)
      implements PbftMessage {
    static final int TAG = 3;

    public PrePrepare {
      assert seq > 0 : seq; // pair: the decoder rejects seq <= 0
      batch = List.copyOf(batch);
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(digest);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth).u32(batch.size());
      for (Request request : batch) request.encode(out);
    }

    static PrePrepare decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.seq(in);
      Digest digest = in.digest();
      Bytes auth = in.bytes(Request.AUTHENTICATOR_MAX);
      int count = in.count(Limits.BATCH_MAX);
      List<Request> batch = new ArrayList<>(Math.min(count, 64));
      for (int i = 0; i < count; i++) {
        if (in.u8() != Request.TAG) throw MalformedMessage.of("PrePrepare.batch");
        batch.add(Request.decode(in));
      }
      return new PrePrepare(view, seq, digest, batch, auth);
    }

    PrePrepare withAuth(Bytes auth) {
      return new PrePrepare(view, seq, digest, batch, auth);
    }
  }

  /** PREPARE(v, n, d, i) of TOCS §4.2: signed, or with {@code --auth hmac} an authenticator. */
  record Prepare(long view, long seq, Digest digest, int replica, Bytes auth)
      implements PbftMessage {
    static final int TAG = 4;

    public Prepare {
      assert seq > 0 : seq;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(digest).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Prepare decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.seq(in);
      Digest digest = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Prepare(view, seq, digest, replica, in.bytes(Request.AUTHENTICATOR_MAX));
    }

    Prepare withAuth(Bytes auth) {
      return new Prepare(view, seq, digest, replica, auth);
    }
  }

  /** COMMIT(v, n, d, i) of TOCS §4.2: signed, or with {@code --auth hmac} an authenticator. */
  record Commit(long view, long seq, Digest digest, int replica, Bytes auth)
      implements PbftMessage {
    static final int TAG = 5;

    public Commit {
      assert seq > 0 : seq;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(view).u64(seq).digest(digest).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Commit decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long seq = Codecs.seq(in);
      Digest digest = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Commit(view, seq, digest, replica, in.bytes(Request.AUTHENTICATOR_MAX));
    }

    Commit withAuth(Bytes auth) {
      return new Commit(view, seq, digest, replica, auth);
    }
  }

  /** CHECKPOINT(n, d, i) of TOCS §4.3: d digests the state after executing through n. */
  record Checkpoint(long seq, Digest stateDigest, int replica, Bytes auth) implements PbftMessage {
    static final int TAG = 6;

    public Checkpoint {
      assert seq > 0 : seq;
    }

    void encodeSigned(Writer out) {
      out.u8(TAG).u64(seq).digest(stateDigest).u8(replica);
    }

    void encode(Writer out) {
      encodeSigned(out);
      out.bytes(auth);
    }

    static Checkpoint decode(Reader in) throws MalformedMessage {
      long seq = Codecs.seq(in);
      Digest stateDigest = in.digest();
      int replica = in.replicaIndex(Limits.REPLICAS_MAX);
      return new Checkpoint(seq, stateDigest, replica, in.bytes(Limits.SIGNATURE_MAX));
    }

    Checkpoint withAuth(Bytes auth) {
      return new Checkpoint(seq, stateDigest, replica, auth);
    }
  }

  /**
   * State transfer: replica {@code replica} asks for chunk {@code chunk} of the sender's stable
   * checkpoint at {@code seq} or later. Unsigned: the answer proves itself.
   */
  record FetchState(long seq, int chunk, int replica) implements PbftMessage {
    static final int TAG = 9;

    void encode(Writer out) {
      out.u8(TAG).u64(seq).u32(chunk).u8(replica);
    }

    static FetchState decode(Reader in) throws MalformedMessage {
      long seq = in.u64();
      int chunk = in.u32();
      return new FetchState(seq, chunk, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * State transfer: replica {@code replica} asks for the committed batches above {@code afterSeq}
   * that it lacks. Unsigned: each answer is a {@link CommittedProof}.
   */
  record FetchLog(long afterSeq, int replica) implements PbftMessage {
    static final int TAG = 11;

    void encode(Writer out) {
      out.u8(TAG).u64(afterSeq).u8(replica);
    }

    static FetchLog decode(Reader in) throws MalformedMessage {
      long afterSeq = in.u64();
      return new FetchLog(afterSeq, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }
}
