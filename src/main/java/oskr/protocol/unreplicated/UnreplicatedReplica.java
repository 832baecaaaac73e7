package oskr.protocol.unreplicated;

import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.protocol.ClientTable;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * The server: executes requests in arrival order, at most once per request (the client table, which
 * may refuse a request instead), and replies; in the signed variant the reply is signed by a
 * stateless job first.
 */
final class UnreplicatedReplica implements Replica<UnreplicatedMessage> {
  static final String STALE_REQUEST = "stale request";
  static final String REQUEST_IN_PROGRESS = "request in progress";
  static final String REFUSED = "request refused by the client table";
  static final String REPLY_AT_REPLICA = "reply sent to the replica";
  static final String REPLY_OVERTAKEN = "reply overtaken by the client's next request";

  private final Context<UnreplicatedMessage> context;
  private final App app;
  private final boolean signed;
  private final ClientTable<Reply> clientTable;
  private final Drops drops = new Drops();
  private long opNumber;

  UnreplicatedReplica(ReplicaSetup<UnreplicatedMessage> setup, boolean signed) {
    this(setup, signed, new ClientTable<>());
  }

  /** A server with its own client table: only tests use a smaller one. */
  UnreplicatedReplica(
      ReplicaSetup<UnreplicatedMessage> setup, boolean signed, ClientTable<Reply> clientTable) {
    if (setup.index() != 0) throw new IllegalArgumentException("Unreplicated has one replica");
    this.clientTable = clientTable;
    this.context = setup.context();
    this.app = setup.app();
    this.signed = signed;
  }

  @Override
  public void onMessage(Address from, UnreplicatedMessage message) {
    switch (message) {
      case Request m -> onRequest(from, m);
      case Reply m -> drops.count(REPLY_AT_REPLICA);
    }
  }

  @Override
  public void onTimer(TimerKey key) {
    throw new IllegalStateException("Unreplicated sets no replica timer: " + key);
  }

  private void onRequest(Address from, Request request) {
    switch (clientTable.check(request.clientId(), request.requestNumber())) {
      case STALE -> drops.count(STALE_REQUEST);
      case IN_PROGRESS -> drops.count(REQUEST_IN_PROGRESS);
      case REFUSE -> refuse(from, request);
      case RESEND_REPLY -> context.send(from, clientTable.reply(request.clientId()));
      case NEW -> execute(from, request);
    }
  }

  private void execute(Address from, Request request) {
    opNumber++;
    Bytes result = app.execute(opNumber, request.op());
    clientTable.start(request.clientId(), request.requestNumber());
    reply(from, new Reply(request.clientId(), request.requestNumber(), result, Bytes.EMPTY));
  }

  private void refuse(Address from, Request request) {
    drops.count(REFUSED);
    long retryFrom = clientTable.refuse(request.clientId(), request.requestNumber());
    long number = request.requestNumber();
    reply(from, new Reply(request.clientId(), number, Bytes.EMPTY, retryFrom, Bytes.EMPTY));
  }

  private void reply(Address from, Reply reply) {
    if (!signed) {
      onReplyReady(from, reply);
      return;
    }
    context.submit(
        crypto -> Unreplicated.sign(reply, crypto), signedReply -> onReplyReady(from, signedReply));
  }

  private void onReplyReady(Address client, Reply reply) {
    assert !signed || reply.signature().length() > 0 : "unsigned reply in the signed variant";
    // A correct client sends its next request only after this reply, but a buggy or restarted
    // one may not: its newer request was executed meanwhile and this reply is of no use.
    // A refusal goes out even if not remembered (a number too far ahead): it never executes.
    if (!clientTable.finish(reply.clientId(), reply.requestNumber(), reply) && !reply.isRefusal()) {
      drops.count(REPLY_OVERTAKEN);
      return;
    }
    context.send(client, reply);
  }

  @Override
  public Drops drops() {
    return drops;
  }

  long opNumber() {
    return opNumber;
  }
}
