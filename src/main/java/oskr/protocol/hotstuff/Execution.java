package oskr.protocol.hotstuff;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Sha256;
import oskr.protocol.ClientTable;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * Execution of committed blocks in chain order: the app, the op number and the client table (at
 * most once per client identity, decided at execution, so every replica decides alike). A client's
 * identity is its key and id together, hashed to the table's key, so no node can order a request
 * under another client's identity (with signatures: see {@link HotStuff#verify}).
 */
final class Execution {
  /** What a request got: a result, or a refusal naming the number to retry from. */
  record Answer(Bytes result, long retryFrom) {}

  private final App app;
  private final ClientTable<Answer> clientTable;
  private final Sha256 sha256 = new Sha256();
  private final Writer scratch = new Writer(128);
  private long opNumber;

  Execution(App app, ClientTable<Answer> clientTable) {
    this.app = app;
    this.clientTable = clientTable;
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

  /** What the client table says of a request that arrived from its client. */
  ClientTable.Verdict check(long identity, Request request) {
    return clientTable.check(identity, request.requestNumber());
  }

  /** The answer cached for the client's latest request (after RESEND_REPLY). */
  Answer cached(long identity) {
    return clientTable.reply(identity);
  }

  /**
   * Executes one request of a committed block, or refuses it.
   *
   * @return the answer to send, or null for a duplicate or stale request (at most once)
   */
  Answer execute(long identity, Request request) {
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
