package oskr.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Frames;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
import oskr.protocol.Protocol;
import oskr.protocol.Randomness;
import oskr.protocol.Replica;
import oskr.protocol.TimerKey;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.FrameSender;

/**
 * A replica's {@link Context} on the runtime, and its send path. Small messages are encoded by the
 * stateful executor itself (a hand-off costs far more than encoding a few hundred bytes, see
 * docs/transport.md); a message class once seen above {@link #ENCODE_INLINE_MAX} is encoded,
 * fragmented and sent on a worker from then on. Jobs run on workers round-robin and their results
 * come back as protocol events. Every method but {@link #deliver} runs as an event of the stateful
 * executor (whichever thread that is: the executor orders them and makes their writes visible).
 */
final class ReplicaContext<M> implements Context<M>, Timers.Target {
  static final int ENCODE_INLINE_MAX = 16 << 10;
  static final Duration TIMER_DELAY_MAX = Duration.ofDays(1);
  static final String UNRESOLVABLE = "send: address neither a replica nor an IP literal";

  private final Protocol<M> protocol;
  private final Config config;
  private final int index;
  private final StatefulExecutor stage;
  private final Worker[] workers;
  private final DropCounters drops;
  private final InetSocketAddress[] replicas;
  // Stateful events only:
  private final Addresses addresses;
  private final Writer writer = new Writer(1 << 12);
  private final HashSet<Class<?>> encodeOnWorkers = new HashSet<>();
  private final Timers.Node timers;
  private int nextWorker;
  // Set once before the stateful executor starts:
  private FrameSender sender;
  private Replica<M> node;

  ReplicaContext(
      Protocol<M> protocol,
      Config config,
      int index,
      StatefulExecutor stage,
      Worker[] workers,
      DropCounters drops,
      InetSocketAddress[] replicas) {
    this.protocol = protocol;
    this.config = config;
    this.index = index;
    this.stage = stage;
    this.workers = workers;
    this.drops = drops;
    this.replicas = replicas.clone();
    this.addresses = new Addresses(config, replicas);
    this.timers = stage.timers().node(this);
  }

  /** Binds the node; its start event is the first event the stage runs for it. */
  void attach(FrameSender sender, Replica<M> node) {
    this.sender = sender;
    this.node = node;
    stage.post(node::onStart);
  }

  Protocol<M> protocol() {
    return protocol;
  }

  Config config() {
    return config;
  }

  DropCounters drops() {
    return drops;
  }

  /** Hands a decoded, verified message to the node. Any thread. */
  void deliver(Address from, M message) {
    if (!stage.postMessage(() -> node.onMessage(from, message)))
      drops.count(StatefulExecutor.INBOX_FULL);
  }

  private final SecureRandomness random = new SecureRandomness();

  @Override
  public Randomness random() {
    return random;
  }

  @Override
  public Address self() {
    return config.replica(index);
  }

  @Override
  public void send(Address to, M message) {
    InetSocketAddress target = addresses.socket(to);
    if (target == null) {
      drops.count(UNRESOLVABLE);
      return;
    }
    encodeAndSend(message, target, -1);
  }

  @Override
  public void sendToReplica(int replica, M message) {
    encodeAndSend(message, replicas[replica], -1);
  }

  @Override
  public void broadcast(M message) {
    encodeAndSend(message, null, index);
  }

  /** Sends to {@code to}, or to every replica but {@code exclude} when {@code to} is null. */
  private void encodeAndSend(M message, InetSocketAddress to, int exclude) {
    if (encodeOnWorkers.contains(message.getClass())) {
      Worker worker = nextWorker();
      worker.loop.execute(
          () -> {
            try {
              Writer out = worker.writer();
              Frames.encode(protocol, message, out);
              transmit(out, to, exclude);
            } catch (RuntimeException | AssertionError e) {
              stage.fail(e);
            }
          });
      return;
    }
    Writer out = writer.reset();
    Frames.encode(protocol, message, out);
    if (out.position() > ENCODE_INLINE_MAX) encodeOnWorkers.add(message.getClass());
    transmit(out, to, exclude);
  }

  private void transmit(Writer frame, InetSocketAddress to, int exclude) {
    if (to != null) {
      sender.send(to, frame.buffer(), 0, frame.position());
      return;
    }
    for (int replica = 0; replica < replicas.length; replica++) {
      if (replica != exclude) sender.send(replicas[replica], frame.buffer(), 0, frame.position());
    }
  }

  @Override
  public void setTimer(TimerKey key, Duration delay) {
    assert !delay.isNegative() : delay;
    long nanos = delay.compareTo(TIMER_DELAY_MAX) > 0 ? TIMER_DELAY_MAX.toNanos() : delay.toNanos();
    timers.set(key, System.nanoTime() + nanos);
  }

  @Override
  public void cancelTimer(TimerKey key) {
    timers.cancel(key);
  }

  @Override
  public void onTimer(TimerKey key) {
    node.onTimer(key);
  }

  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    Worker worker = nextWorker();
    worker.loop.execute(
        () -> {
          R result;
          try {
            result = job.run(worker.crypto());
          } catch (RuntimeException | AssertionError e) {
            stage.fail(e);
            return;
          }
          stage.post(() -> done.onJobDone(result));
        });
  }

  private Worker nextWorker() {
    Worker worker = workers[nextWorker];
    nextWorker = (nextWorker + 1) % workers.length;
    return worker;
  }
}
