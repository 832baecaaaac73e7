package oskr.protocol.hotstuff;

import java.util.List;
import java.util.Set;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.ClientTable;
import oskr.protocol.Context;
import oskr.protocol.Drops;
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
  private final ClientTable<Answer> clientTable;
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
