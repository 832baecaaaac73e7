package oskr.protocol.vr;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * The messages of Viewstamped Replication, named as in Liskov and Cowling, "Viewstamped Replication
 * Revisited", MIT-CSAIL-TR-2012-021 (sections below are that paper's). Nothing is signed: VR
 * tolerates crashes only, and {@link Vr#verify} checks that a replica message comes from the member
 * it names (or, for PREPARE, COMMIT and START-VIEW, from the primary of its view). Replica indexes
 * are decoded below {@link Limits#REPLICAS_MAX}; verify checks them against the config. View, op
 * and commit numbers are {@code long}s that never wrap.
 */
public sealed interface VrMessage
    permits VrMessage.Request,
        VrMessage.Reply,
        VrMessage.Prepare,
        VrMessage.PrepareOk,
        VrMessage.Commit,
        VrMessage.StartViewChange,
        VrMessage.DoViewChange,
        VrMessage.StartView,
        VrMessage.Recovery,
        VrMessage.RecoveryResponse,
        VrMessage.GetState,
        VrMessage.NewState,
        VrMessage.GetSnapshot,
        SnapshotChunk {

  /** REQUEST(op, c, s) of §4.1: request numbers start at 1 and grow per client. */
  record Request(long clientId, long requestNumber, Bytes op) implements VrMessage {
    static final int TAG = 1;

    public Request {
      assert requestNumber > 0 : requestNumber; // pair: the decoder rejects 0
    }

    void encode(Writer out) {
      encodeEntry(out.u8(TAG));
    }

    /** As a log entry inside PREPARE and the log-carrying messages: without the tag. */
    void encodeEntry(Writer out) {
      out.i64(clientId).u64(requestNumber).bytes(op);
    }

    static Request decodeEntry(Reader in) throws MalformedMessage {
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Request.requestNumber");
      return new Request(clientId, requestNumber, in.bytes(Limits.OP_MAX));
    }
  }

  /**
   * REPLY(v, s, x) of §4.1, with the client id. With {@code retryFrom} above 0 it refuses the
   * request instead (no result; see {@link oskr.protocol.ClientTable}): the request never executes,
   * and the client sends its operation again numbered {@code retryFrom} or higher.
   */
  record Reply(long view, long clientId, long requestNumber, Bytes result, long retryFrom)
      implements VrMessage {
    static final int TAG = 2;

    public Reply {
      assert requestNumber > 0 : requestNumber;
      assert retryFrom == 0 || result.length() == 0 : "a refusal with a result";
    }

    boolean isRefusal() {
      return retryFrom > 0;
    }

    /** The same reply sent again from a later view. */
    Reply inView(long newView) {
      return newView == view
          ? this
          : new Reply(newView, clientId, requestNumber, result, retryFrom);
    }

    void encode(Writer out) {
      encodeBody(out.u8(TAG));
    }

    /** Without the tag: also how the client table of a checkpoint stores it. */
    void encodeBody(Writer out) {
      out.u64(view).i64(clientId).u64(requestNumber).bytes(result).u64(retryFrom);
    }

    static Reply decodeBody(Reader in) throws MalformedMessage {
      long view = in.u64();
      long clientId = in.i64();
      long requestNumber = in.u64();
      if (requestNumber == 0) throw MalformedMessage.of("Reply.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      long retryFrom = in.u64();
      if (retryFrom != 0 && result.length() != 0) throw MalformedMessage.of("Reply.retryFrom");
      return new Reply(view, clientId, requestNumber, result, retryFrom);
    }
  }

  /**
   * PREPARE(v, m, n, k) of §4.1 for a batch (§6.2): the requests {@code entries} take op numbers
   * {@code firstOp ..} {@link #lastOp()}; {@code commitNumber} piggybacks the primary's commits.
   */
  record Prepare(long view, long firstOp, long commitNumber, List<Request> entries)
      implements VrMessage {
    static final int TAG = 3;

    public Prepare {
      assert firstOp > 0 : firstOp;
      assert !entries.isEmpty() : "an empty batch";
      assert commitNumber < firstOp + entries.size() : "commits past the batch";
    }

    long lastOp() {
      return firstOp + entries.size() - 1;
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(firstOp).u64(commitNumber).u32(entries.size());
      for (Request request : entries) request.encodeEntry(out);
    }

    static Prepare decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long firstOp = in.u64();
      long commitNumber = in.u64();
      int count = in.count(Limits.BATCH_MAX);
      if (firstOp == 0 || count == 0 || firstOp > Long.MAX_VALUE - count) {
        throw MalformedMessage.of("Prepare.firstOp");
      }
      if (commitNumber >= firstOp + count) throw MalformedMessage.of("Prepare.commitNumber");
      List<Request> entries = new ArrayList<>(count);
      for (int i = 0; i < count; i++) entries.add(Request.decodeEntry(in));
      return new Prepare(view, firstOp, commitNumber, entries);
    }
  }

  /** PREPARE-OK(v, n, i) of §4.1: replica i holds the log up to op n of view v. */
  record PrepareOk(long view, long opNumber, int replica) implements VrMessage {
    static final int TAG = 4;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(opNumber).u8(replica);
    }

    static PrepareOk decode(Reader in) throws MalformedMessage {
      return new PrepareOk(in.u64(), in.u64(), in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /** COMMIT(v, k) of §4.1: the primary's commit number, sent when it has no PREPARE to send. */
  record Commit(long view, long commitNumber) implements VrMessage {
    static final int TAG = 5;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(commitNumber);
    }

    static Commit decode(Reader in) throws MalformedMessage {
      return new Commit(in.u64(), in.u64());
    }
  }

  /** START-VIEW-CHANGE(v, i) of §4.2. */
  record StartViewChange(long view, int replica) implements VrMessage {
    static final int TAG = 6;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u8(replica);
    }

    static StartViewChange decode(Reader in) throws MalformedMessage {
      return new StartViewChange(in.u64(), in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * DO-VIEW-CHANGE(v, l, v', n, k, i) of §4.2: {@code lastNormalView} is v', the op number n is
   * {@code log.lastOp()}, and the log is sent from the sender's latest checkpoint on (§5.3).
   */
  record DoViewChange(
      long view, long lastNormalView, long commitNumber, LogSegment log, int replica)
      implements VrMessage {
    static final int TAG = 7;

    public DoViewChange {
      assert lastNormalView < view : "normal in the view being changed to";
      assert commitNumber <= log.lastOp() : "committed past the log";
    }

    long opNumber() {
      return log.lastOp();
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(lastNormalView).u64(commitNumber);
      log.encode(out);
      out.u8(replica);
    }

    static DoViewChange decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long lastNormalView = in.u64();
      long commitNumber = in.u64();
      LogSegment log = LogSegment.decode(in);
      if (lastNormalView >= view) throw MalformedMessage.of("DoViewChange.lastNormalView");
      if (commitNumber > log.lastOp()) throw MalformedMessage.of("DoViewChange.commitNumber");
      return new DoViewChange(
          view, lastNormalView, commitNumber, log, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /** START-VIEW(v, l, n, k) of §4.2, n being {@code log.lastOp()}. */
  record StartView(long view, long commitNumber, LogSegment log) implements VrMessage {
    static final int TAG = 8;

    public StartView {
      assert commitNumber <= log.lastOp() : "committed past the log";
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(commitNumber);
      log.encode(out);
    }

    static StartView decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long commitNumber = in.u64();
      LogSegment log = LogSegment.decode(in);
      if (commitNumber > log.lastOp()) throw MalformedMessage.of("StartView.commitNumber");
      return new StartView(view, commitNumber, log);
    }
  }

  /** RECOVERY(i, x) of §4.3: x is a nonce drawn from the context's randomness. */
  record Recovery(int replica, long nonce) implements VrMessage {
    static final int TAG = 9;

    void encode(Writer out) {
      out.u8(TAG).u8(replica).i64(nonce);
    }

    static Recovery decode(Reader in) throws MalformedMessage {
      return new Recovery(in.replicaIndex(Limits.REPLICAS_MAX), in.i64());
    }
  }

  /**
   * RECOVERY-RESPONSE(v, x, l, n, k, j) of §4.3: only the primary of view v sends its log and
   * commit number ({@code fromPrimary}); the others send an empty log and 0.
   */
  record RecoveryResponse(
      long view, long nonce, boolean fromPrimary, long commitNumber, LogSegment log, int replica)
      implements VrMessage {
    static final int TAG = 10;

    public RecoveryResponse {
      assert commitNumber <= log.lastOp() : "committed past the log";
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).i64(nonce).bool(fromPrimary).u64(commitNumber);
      log.encode(out);
      out.u8(replica);
    }

    static RecoveryResponse decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long nonce = in.i64();
      boolean fromPrimary = in.bool();
      long commitNumber = in.u64();
      LogSegment log = LogSegment.decode(in);
      if (commitNumber > log.lastOp()) throw MalformedMessage.of("RecoveryResponse.commit");
      return new RecoveryResponse(
          view, nonce, fromPrimary, commitNumber, log, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /** GET-STATE(v, n', i) of §5.2: replica i of view v asks for the log after op n'. */
  record GetState(long view, long opNumber, int replica) implements VrMessage {
    static final int TAG = 11;

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(opNumber).u8(replica);
    }

    static GetState decode(Reader in) throws MalformedMessage {
      return new GetState(in.u64(), in.u64(), in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * NEW-STATE(v, l, n, k) of §5.2, where {@code opNumber} is n; {@code log} holds a bounded part of
   * the log after the op asked for, or, if the sender truncated its log there, from its log's start
   * on: the receiver then fetches the snapshot of {@code checkpoint} first (§5.1).
   */
  record NewState(
      long view, long opNumber, long commitNumber, long checkpoint, LogSegment log, int replica)
      implements VrMessage {
    static final int TAG = 12;

    public NewState {
      assert log.lastOp() <= opNumber : "a log past the op number";
      assert commitNumber <= opNumber : "committed past the op number";
    }

    void encode(Writer out) {
      out.u8(TAG).u64(view).u64(opNumber).u64(commitNumber).u64(checkpoint);
      log.encode(out);
      out.u8(replica);
    }

    static NewState decode(Reader in) throws MalformedMessage {
      long view = in.u64();
      long opNumber = in.u64();
      long commitNumber = in.u64();
      long checkpoint = in.u64();
      LogSegment log = LogSegment.decode(in);
      if (log.lastOp() > opNumber || commitNumber > opNumber) {
        throw MalformedMessage.of("NewState.opNumber");
      }
      return new NewState(
          view, opNumber, commitNumber, checkpoint, log, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }

  /**
   * Asks for chunk {@code chunk} of the sender's latest checkpoint, if it covers op {@code atLeast}
   * (§5.1 leaves how a snapshot travels).
   */
  record GetSnapshot(long atLeast, int chunk, int replica) implements VrMessage {
    static final int TAG = 13;

    void encode(Writer out) {
      out.u8(TAG).u64(atLeast).u32(chunk).u8(replica);
    }

    static GetSnapshot decode(Reader in) throws MalformedMessage {
      long atLeast = in.u64();
      int chunk = in.u32();
      return new GetSnapshot(atLeast, chunk, in.replicaIndex(Limits.REPLICAS_MAX));
    }
  }
}
