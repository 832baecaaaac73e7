package oskr.protocol.unreplicated;

import java.time.Duration;
import java.util.HashMap;
import oskr.core.Address;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
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

  private final class Renumbering implements Context<UnreplicatedMessage> {
    private final Context<UnreplicatedMessage> outer;

    Renumbering(Context<UnreplicatedMessage> outer) {
      this.outer = outer;
    }

    @Override
    public Address self() {
      return outer.self();
    }

    @Override
    public void send(Address to, UnreplicatedMessage message) {
      if (message instanceof Reply reply) {
        long original =
            originalNumbers.get(new Renumbered(reply.clientId(), reply.requestNumber()));
        message = new Reply(reply.clientId(), original, reply.result(), reply.signature());
      }
      outer.send(to, message);
    }

    @Override
    public void sendToReplica(int index, UnreplicatedMessage message) {
      outer.sendToReplica(index, message);
    }

    @Override
    public void broadcast(UnreplicatedMessage message) {
      outer.broadcast(message);
    }

    @Override
    public void setTimer(TimerKey key, Duration delay) {
      outer.setTimer(key, delay);
    }

    @Override
    public void cancelTimer(TimerKey key) {
      outer.cancelTimer(key);
    }

    @Override
    public <R> void submit(Job<R> job, JobDone<R> done) {
      outer.submit(job, done);
    }
  }
}
