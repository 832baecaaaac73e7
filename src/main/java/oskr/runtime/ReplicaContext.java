package oskr.runtime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.Limits;
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
import oskr.runtime.udp.Outbox;
import oskr.runtime.udp.Tags;

/**
 * A replica's {@link Context} on the runtime, and its send path. Small messages are encoded by the
 * stateful executor itself (a hand-off costs far more than encoding a few hundred bytes, see
 * docs/transport.md); a message class once seen above {@link #ENCODE_INLINE_MAX} is encoded,
 * fragmented and sent on a worker from then on. Jobs run on workers round-robin and their results
 * come back as protocol events. Every method but {@link #deliver} and {@link #endOfReadBatch} runs
 * as an event of the stateful executor (whichever thread that is: the executor orders them and
 * makes their writes visible).
 *
 * <p>Sends go through the socket's {@link Outbox}es: one for the node's events, one per worker. On
 * the mmsg transport what one protocol step (one event: a message, a timer, a job's result) sends
 * leaves in one {@code sendmmsg} at the end of the step, or, when the step ran on the socket's loop
 * inside a batch of reads, at the end of that batch ({@link #endOfReadBatch}): the replies to all
 * the requests of one {@code recvmmsg} then leave together. Elsewhere an outbox sends at once, as
 * before.
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
  // The node's events send through it; the socket's loop flushes it too (it is synchronized), from
  // its first read on, maybe before attach(): hence volatile.
  private volatile Outbox outbox;
  private Outbox[] workerOutboxes; // one per worker, used on its thread
  private ReplicaInbound<M> inbound;
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
  void attach(FrameSender sender, ReplicaInbound<M> inbound, Replica<M> node) {
    this.sender = sender;
    this.outbox = sender.socket().newOutbox();
    this.workerOutboxes = new Outbox[workers.length];
    for (int i = 0; i < workers.length; i++) workerOutboxes[i] = sender.socket().newOutbox();
    this.inbound = inbound;
    this.node = node;
    stage.post(
        () -> {
          node.onStart();
          endOfStep();
        });
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
    if (!stage.postMessage(
        () -> {
          node.onMessage(from, message);
          endOfStep();
        })) drops.count(StatefulExecutor.INBOX_FULL);
  }

  /**
   * The end of one protocol step: what it sent leaves now, unless the step runs on the socket's
   * loop inside a batch of reads, whose end sends it ({@link #endOfReadBatch}).
   */
  private void endOfStep() {
    if (outbox.batches() && !inbound.inReadBatch()) outbox.flush();
  }

  /** The socket's loop read a batch and handed it on: what its steps sent leaves now. */
  void endOfReadBatch() {
    Outbox outbox = this.outbox;
    if (outbox != null) outbox.flush();
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
    Addresses.Endpoint target = addresses.endpoint(to);
    if (target == null) {
      drops.count(UNRESOLVABLE);
      return;
    }
    encodeAndSend(message, target.socket(), target.tag(), -1);
  }

  @Override
  public void sendToReplica(int replica, M message) {
    encodeAndSend(message, replicas[replica], Tags.NONE, -1);
  }

  @Override
  public void broadcast(M message) {
    encodeAndSend(message, null, Tags.NONE, index);
  }

  /**
   * Sends to {@code to} (tagged {@code tag} unless {@link Tags#NONE}), or to every replica but
   * {@code exclude} when {@code to} is null.
   */
  private void encodeAndSend(M message, InetSocketAddress to, int tag, int exclude) {
    if (encodeOnWorkers.contains(message.getClass())) {
      int index = nextWorker();
      Worker worker = workers[index];
      Outbox workerOutbox = workerOutboxes[index];
      worker.loop.execute(
          () -> {
            try {
              Writer out = worker.writer();
              Frames.encode(protocol, message, out);
              transmit(workerOutbox, out, to, tag, exclude);
              workerOutbox.flush();
            } catch (RuntimeException | AssertionError e) {
              stage.fail(e);
            }
          });
      return;
    }
    Writer out = writer.reset();
    Frames.encode(protocol, message, out);
    if (out.position() > ENCODE_INLINE_MAX) encodeOnWorkers.add(message.getClass());
    transmit(outbox, out, to, tag, exclude);
  }

  private void transmit(Outbox through, Writer frame, InetSocketAddress to, int tag, int exclude) {
    if (to != null) {
      sender.send(through, to, tag, frame.buffer(), 0, frame.position());
      return;
    }
    if (frame.position() <= Limits.DATAGRAM_MAX) { // one datagram: copied once for all targets
      through.addToAll(replicas, exclude, frame.buffer(), 0, frame.position());
      return;
    }
    for (int replica = 0; replica < replicas.length; replica++) {
      if (replica != exclude) {
        sender.send(through, replicas[replica], frame.buffer(), 0, frame.position());
      }
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
    endOfStep();
  }

  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    Worker worker = workers[nextWorker()];
    worker.loop.execute(
        () -> {
          R result;
          try {
            result = job.run(worker.crypto());
          } catch (RuntimeException | AssertionError e) {
            stage.fail(e);
            return;
          }
          stage.post(
              () -> {
                done.onJobDone(result);
                endOfStep();
              });
        });
  }

  private int nextWorker() {
    int index = nextWorker;
    nextWorker = (nextWorker + 1) % workers.length;
    return index;
  }
}
