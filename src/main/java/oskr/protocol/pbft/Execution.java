package oskr.protocol.pbft;

import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.StateImage;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * Execution (TOCS §4.2): the app, the op number and the client records (at most once, and the last
 * reply to each client), the replies, and the state a checkpoint covers (§4.3, §5.3). The replica
 * decides what executes and when; this part owns what execution changes.
 */
final class Execution {
  static final String REFUSED = "request refused by the client table";

  private final PbftReplica replica;
  private final App app;
  private long opNumber;
  final ClientRecords clientRecords;

  Execution(PbftReplica replica, App app, int clientsMax) {
    this.replica = replica;
    this.app = app;
    this.clientRecords = new ClientRecords(clientsMax);
  }

  /** The client's last executed request number (0 if none). */
  long lastExecuted(ClientIdentity client) {
    return clientRecords.lastExecuted(client);
  }

  /**
   * Executes one request of a committed batch, or refuses it (see {@link ClientRecords}).
   *
   * @return false for a duplicate (at most once), true once the request is answered
   */
  boolean execute(Request request) {
    ClientIdentity client = ClientIdentity.of(request);
    switch (clientRecords.decide(client, request.requestNumber(), opNumber)) {
      case DUPLICATE -> {
        return false;
      }
      case REFUSE -> {
        replica.drops.count(REFUSED);
        sendReply(request, Bytes.EMPTY, clientRecords.retryFrom());
        return true;
      }
      case EXECUTE -> {
        opNumber++;
        Bytes result = app.execute(opNumber, request.op());
        clientRecords.record(client, request.requestNumber(), result);
        sendReply(request, result, 0);
        return true;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Sends the client the reply to its latest answered request again: a result or a refusal. */
  void resendReply(Request request) {
    ClientRecords.Entry latest = clientRecords.latest(ClientIdentity.of(request));
    assert latest.requestNumber() == request.requestNumber() : "a reply to another request";
    sendReply(request, latest.result(), latest.retryFrom());
  }

  /**
   * @param retryFrom 0 for a result; else the request was refused and the client retries from this
   *     request number
   */
  private void sendReply(Request request, Bytes result, long retryFrom) {
    Reply unsigned =
        new Reply(
            replica.view(),
            request.clientId(),
            request.requestNumber(),
            replica.index,
            result,
            retryFrom,
            Bytes.EMPTY);
    replica.submit(
        crypto -> unsigned.withAuth(Auth.replyAuth(crypto, unsigned, request.clientKey())),
        signed -> {
          if (signed.auth().length() > 0) replica.context.send(request.client(), signed);
        });
  }

  /** The checkpointed state: op number, client records, app snapshot (TOCS §4.3, §5.3). */
  StateImage stateImage() {
    Writer out = new Writer(256);
    out.u64(opNumber);
    clientRecords.encode(out);
    return new StateImage(out.toBytes(), app.snapshot());
  }

  /** Where state transfer feeds the app's part of a checkpoint's state. */
  App.SnapshotSink snapshotSink() {
    return app.snapshotSink();
  }

  /**
   * Installs a transferred state whose chunks were verified against a stable checkpoint's digest:
   * {@code header} (op number, client records) here, the app's part already fed to {@code sink}.
   * Checks the header before the app commits, so that a failure changes nothing.
   */
  void restore(Bytes header, App.SnapshotSink sink) throws MalformedMessage {
    Reader in = new Reader(header.unsafeArray());
    long decodedOpNumber = in.u64();
    new ClientRecords(clientRecords.clientsMax()).decode(in);
    in.end();
    sink.commit();
    in = new Reader(header.unsafeArray());
    in.u64();
    clientRecords.decode(in); // decoded above already: cannot fail
    opNumber = decodedOpNumber;
  }
}
