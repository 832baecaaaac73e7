package oskr.protocol.pbft;

import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Drops;
import oskr.protocol.TimerKey;
import oskr.protocol.pbft.PbftMessage.Reply;

/**
 * A planted bug, for tests only: a PBFT client that accepts the first reply to its request instead
 * of waiting for f+1 matching ones (TOCS §4.1), so a single faulty replica decides its result. The
 * real client runs inside; the first reply for the outstanding request reaches it f+1 times, as if
 * from f+1 replicas that all agreed.
 */
final class FirstReplyClient implements Client<PbftMessage> {
  private final PbftClient inner;
  private final int quorum;
  private final int n;
  private final long clientId;

  /** The request number of the latest invoke: the real client numbers them 1, 2, 3, ... */
  private long requestNumber;

  FirstReplyClient(ClientSetup<PbftMessage> setup) {
    this.inner = new PbftClient(setup);
    this.quorum = setup.config().f() + 1;
    this.n = setup.config().n();
    this.clientId = setup.clientId();
  }

  @Override
  public void invoke(Bytes op) {
    requestNumber++;
    inner.invoke(op);
  }

  @Override
  public boolean busy() {
    return inner.busy();
  }

  @Override
  public void onMessage(Address from, PbftMessage message) {
    if (!(message instanceof Reply reply)
        || !inner.busy()
        || reply.clientId() != clientId
        || reply.requestNumber() != requestNumber) {
      inner.onMessage(from, message);
      return;
    }
    // The reply and f copies under other replicas' names: the inner client counts f+1 matching.
    for (int i = 0; i < quorum; i++) {
      int replica = (reply.replica() + i) % n;
      inner.onMessage(
          from,
          new Reply(
              reply.view(),
              reply.clientId(),
              reply.requestNumber(),
              replica,
              reply.result(),
              reply.auth()));
    }
  }

  @Override
  public void onTimer(TimerKey key) {
    inner.onTimer(key);
  }

  @Override
  public Drops drops() {
    return inner.drops();
  }
}
