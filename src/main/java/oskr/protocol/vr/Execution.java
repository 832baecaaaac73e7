package oskr.protocol.vr;

import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.ClientTable;
import oskr.protocol.Context;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;

/**
 * Execution of committed ops (VR §4.1 steps 5 and 7) at most once per request, with the client
 * table (§4: the latest request number and reply per client), and the checkpoints of the state
 * (§5.1). Owns how far execution got, the client table and the checkpoints; the replica hands it
 * the ops in op order and applies its answer (how far the log may be dropped).
 */
final class Execution {
  private final App app;
  private final Context<VrMessage> context;
  private final Checkpoints checkpoints;
  private final int clientsMax;
  private long executed;
  private ClientTable<Reply> clientTable;

  Execution(App app, Context<VrMessage> context, Checkpoints checkpoints, int clientsMax) {
    this.app = app;
    this.context = context;
    this.checkpoints = checkpoints;
    this.clientsMax = clientsMax;
    this.clientTable = new ClientTable<>(clientsMax);
  }

  /** The last op executed (or covered by an installed snapshot). */
  long executed() {
    return executed;
  }

  ClientTable.Verdict check(long clientId, long requestNumber) {
    return clientTable.check(clientId, requestNumber);
  }

  /** The reply to the client's latest request, from {@code view}; after RESEND_REPLY only. */
  Reply cachedReply(long clientId, long view) {
    return clientTable.reply(clientId).inView(view);
  }

  /**
   * Executes op {@code op}, the next one, decided by the client table alike at every replica: a new
   * request executes, one the table cannot place is refused, one already executed (in the log twice
   * after a resend crossed a view change) is answered again; the reply goes to {@code client} if it
   * is not null (the primary's).
   *
   * @return the op number the log may drop entries below, once a checkpoint was taken; else 0
   */
  long execute(long op, Request request, long view, Address client) {
    assert op == executed + 1 : "execution out of op order";
    executed = op;
    long clientId = request.clientId();
    long number = request.requestNumber();
    Reply reply = null;
    switch (clientTable.check(clientId, number)) {
      case NEW -> {
        clientTable.start(clientId, number);
        reply = new Reply(view, clientId, number, app.execute(op, request.op()), 0);
      }
      case REFUSE -> {
        long retryFrom = clientTable.refuse(clientId, number);
        reply = new Reply(view, clientId, number, Bytes.EMPTY, retryFrom);
      }
      case RESEND_REPLY -> {
        if (client != null) context.send(client, cachedReply(clientId, view));
      }
      case STALE, IN_PROGRESS -> {} // the client moved on; start and finish go together
    }
    if (reply != null) {
      clientTable.finish(clientId, number, reply);
      if (client != null) context.send(client, reply);
    }
    if (!checkpoints.due(request.op().length())) return 0;
    long previous = checkpoints.take(new SnapshotImage(executed, stateHeader(), app.snapshot()));
    return previous + 1;
  }

  /** The state beside the app's: the checkpoint's op number and the client table. */
  private Bytes stateHeader() {
    Writer out = new Writer(256);
    out.u64(executed);
    clientTable.encode(out, (writer, reply) -> reply.encodeBody(writer));
    return out.toBytes();
  }

  /**
   * Installs a fetched snapshot (§5.2) as our state and checkpoint. Checks the header before the
   * app commits the rest, so that a failure changes nothing.
   *
   * @throws MalformedMessage if the header is not one, IllegalArgumentException if the app's part
   *     is not a whole snapshot of this app
   */
  void install(StateTransfer.Installable snapshot) throws MalformedMessage {
    Reader in = new Reader(snapshot.header().unsafeArray());
    if (in.u64() != snapshot.checkpoint()) throw MalformedMessage.of("snapshot op number");
    ClientTable<Reply> table = ClientTable.decode(in, clientsMax, Reply::decodeBody);
    in.end();
    snapshot.sink().commit();
    clientTable = table;
    executed = snapshot.checkpoint();
    checkpoints.installed(new SnapshotImage(executed, snapshot.header(), app.snapshot()));
  }

  int clientTableSize() {
    return clientTable.size();
  }
}
