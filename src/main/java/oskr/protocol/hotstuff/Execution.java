package oskr.protocol.hotstuff;

import java.util.List;
import java.util.Set;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.ClientTable;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.StateImage;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * Requests from arrival to reply: the mempool until a block with them commits, then execution in
 * chain order: the app, the op number and the client table (at most once per client identity,
 * decided at execution, so every replica decides alike). A client's identity is its key and id
 * together, hashed to the table's key, so no node can order a request under another client's
 * identity (with signatures: see {@link HotStuff#verify}).
 */
final class Execution {
  static final String STALE_REQUEST = "stale request";
  static final String MEMPOOL_FULL = "request not taken by the mempool";

  /** What a request got: a result, or a refusal naming the number to retry from. */
  record Answer(Bytes result, long retryFrom) {}

  private final App app;
  private ClientTable<Answer> clientTable;
  private final Sha256 sha256 = new Sha256();
  private final Writer scratch = new Writer(128);
  private final Mempool mempool = new Mempool();
  private final Context<HotStuffMessage> context;
  private final int index;
  private final Drops drops;
  private long opNumber;

  Execution(
      App app,
      ClientTable<Answer> clientTable,
      Context<HotStuffMessage> context,
      int index,
      Drops drops) {
    this.app = app;
    this.clientTable = clientTable;
    this.context = context;
    this.index = index;
    this.drops = drops;
  }

  /** A request from its client: answered again, held for a proposal, or dropped as stale. */
  void onRequest(Request request, long view) {
    long identity = identity(request);
    switch (clientTable.check(identity, request.requestNumber())) {
      case STALE, IN_PROGRESS -> drops.count(STALE_REQUEST);
      case RESEND_REPLY -> reply(request, clientTable.reply(identity), view);
      case NEW, REFUSE -> {
        if (!mempool.add(identity, request)) drops.count(MEMPOOL_FULL);
      }
    }
  }

  /** Whether requests wait in the mempool to execute. */
  boolean hasPending() {
    return !mempool.isEmpty();
  }

  /** Whether {@code request}, exactly as it is, arrived from its client and waits here. */
  boolean holds(Request request) {
    return mempool.holds(identity(request), request);
  }

  /** Up to {@code max} waiting requests for a proposal, none of {@code inFlight}. */
  List<Request> batch(int max, Set<Mempool.RequestId> inFlight) {
    return mempool.batch(max, inFlight);
  }

  /** Executes a committed block's requests in order and replies to their clients. */
  void executeBlock(Block block, long view) {
    for (Request request : block.batch()) {
      long identity = identity(request);
      Answer answer = execute(identity, request);
      mempool.answered(identity, request.requestNumber());
      if (answer != null) reply(request, answer, view);
    }
  }

  /**
   * A committed block this replica cannot execute (it lost the state below it): its requests leave
   * the mempool, unanswered.
   */
  void skipBlock(Block block) {
    for (Request request : block.batch()) {
      mempool.answered(identity(request), request.requestNumber());
    }
  }

  /** Signs (or MACs) the reply on a worker and sends it to the client's address. */
  private void reply(Request request, Answer answer, long view) {
    Reply unsigned =
        new Reply(
            view,
            request.clientId(),
            request.requestNumber(),
            index,
            answer.result(),
            answer.retryFrom(),
            Bytes.EMPTY);
    Bytes clientKey = request.clientKey();
    context.submit(
        crypto -> unsigned.withAuth(Auth.replyAuth(crypto, unsigned, clientKey)),
        signed -> {
          if (signed.auth().length() > 0) context.send(request.client(), signed);
        });
  }

  long opNumber() {
    return opNumber;
  }

  /**
   * The state after executing the committed block {@code block}, the {@code height}-th: a header of
   * the checkpoint it belongs to, the op number and the client table (so that a replica installing
   * it decides every later request as the others do), and the app's frozen snapshot.
   */
  StateImage stateImage(long height, Digest block) {
    Writer out = new Writer(256);
    out.u64(height).digest(block).u64(opNumber);
    clientTable.encode(out, Execution::encodeAnswer);
    return new StateImage(out.toBytes(), app.snapshot());
  }

  /** Where state transfer feeds the app's part of a checkpoint's state. */
  App.SnapshotSink snapshotSink() {
    return app.snapshotSink();
  }

  /**
   * Installs a transferred state whose chunks were verified against a proven checkpoint's digest:
   * {@code header} here, the app's part already fed to {@code sink}. The header must name the
   * checkpoint ({@code height}, {@code block}); it is decoded whole before the app commits, so that
   * a failure changes nothing.
   */
  void restore(Bytes header, App.SnapshotSink sink, long height, Digest block)
      throws MalformedMessage {
    Reader in = new Reader(header.unsafeArray());
    if (in.u64() != height || !in.digest().equals(block)) {
      throw MalformedMessage.of("state of another checkpoint");
    }
    long decodedOpNumber = in.u64();
    ClientTable<Answer> decoded =
        ClientTable.decode(in, Limits.CLIENTS_MAX, Execution::decodeAnswer);
    in.end();
    sink.commit();
    clientTable = decoded;
    opNumber = decodedOpNumber;
  }

  private static void encodeAnswer(Writer out, Answer answer) {
    out.bytes(answer.result()).u64(answer.retryFrom());
  }

  private static Answer decodeAnswer(Reader in) throws MalformedMessage {
    Bytes result = in.bytes(Limits.OP_MAX);
    long retryFrom = in.u64();
    if (retryFrom != 0 && result.length() != 0) throw MalformedMessage.of("Answer.retryFrom");
    return new Answer(result, retryFrom);
  }

  /** The client identity of {@code request}: 64 bits of SHA-256 over its key and id. */
  long identity(Request request) {
    scratch.reset().bytes(request.clientKey()).i64(request.clientId());
    Digest digest = sha256.digest(scratch.buffer(), 0, scratch.position());
    return digest.w0();
  }

  /**
   * Executes one request of a committed block, or refuses it.
   *
   * @return the answer to send, or null for a duplicate or stale request (at most once)
   */
  private Answer execute(long identity, Request request) {
    long number = request.requestNumber();
    switch (clientTable.check(identity, number)) {
      case NEW -> {
        opNumber++;
        Bytes result = app.execute(opNumber, request.op());
        clientTable.start(identity, number);
        Answer answer = new Answer(result, 0);
        clientTable.finish(identity, number, answer);
        return answer;
      }
      case REFUSE -> {
        long retryFrom = clientTable.refuse(identity, number);
        Answer answer = new Answer(Bytes.EMPTY, retryFrom);
        clientTable.finish(identity, number, answer);
        return answer;
      }
      case RESEND_REPLY, IN_PROGRESS, STALE -> {
        return null;
      }
    }
    throw new AssertionError("unreachable");
  }
}
