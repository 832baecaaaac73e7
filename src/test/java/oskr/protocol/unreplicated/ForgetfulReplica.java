package oskr.protocol.unreplicated;

import java.util.HashMap;
import oskr.core.Address;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.ForwardingContext;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * A planted bug, for tests only: an Unreplicated server that ignores its client table, so a retried
 * request executes again. The real replica runs inside; every delivery of a request reaches it
 * under a fresh request number (so its table always says NEW), and its replies go out under the
 * client's own number again.
 */
final class ForgetfulReplica implements Replica<UnreplicatedMessage> {
  private record Renumbered(long clientId, long internal) {}

  private final UnreplicatedReplica inner;
  private final HashMap<Long, Long> deliveries = new HashMap<>();
  private final HashMap<Renumbered, Long> originalNumbers = new HashMap<>();

  ForgetfulReplica(ReplicaSetup<UnreplicatedMessage> setup) {
    Context<UnreplicatedMessage> renumbering = new Renumbering(setup.context());
    this.inner =
        new UnreplicatedReplica(
            new ReplicaSetup<>(
                setup.config(), setup.index(), setup.app(), setup.options(), renumbering),
            false);
  }

  @Override
  public void onMessage(Address from, UnreplicatedMessage message) {
    if (!(message instanceof Request request)) {
      inner.onMessage(from, message);
      return;
    }
    long internal = deliveries.merge(request.clientId(), 1L, Long::sum);
    originalNumbers.put(new Renumbered(request.clientId(), internal), request.requestNumber());
    inner.onMessage(from, new Request(request.clientId(), internal, request.op()));
  }

  @Override
  public void onTimer(TimerKey key) {
    inner.onTimer(key);
  }

  @Override
  public Drops drops() {
    return inner.drops();
  }

  private final class Renumbering extends ForwardingContext<UnreplicatedMessage> {
    Renumbering(Context<UnreplicatedMessage> outer) {
      super(outer);
    }

    @Override
    public void send(Address to, UnreplicatedMessage message) {
      if (message instanceof Reply reply) {
        long original =
            originalNumbers.get(new Renumbered(reply.clientId(), reply.requestNumber()));
        message = new Reply(reply.clientId(), original, reply.result(), reply.signature());
      }
      super.send(to, message);
    }
  }
}
