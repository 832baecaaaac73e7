package oskr.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.Writer;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Frames;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
import oskr.protocol.Options;
import oskr.protocol.Randomness;
import oskr.protocol.Results;
import oskr.protocol.TimerKey;
import oskr.runtime.udp.Fragments;
import oskr.runtime.udp.FrameSender;
import oskr.runtime.udp.Outbox;
import oskr.runtime.udp.Reassembler;
import oskr.runtime.udp.Receiver;

/**
 * One closed-loop client on a {@link ClientLoop}: its own socket, or its own tag on the loop's
 * shared socket (replies come to its address and tag either way), its protocol client, and its
 * {@link Context}. Completions are handled after the client's handler returns, never inside it, so
 * invoking the next operation is not re-entrant.
 */
final class ClientSlot<M> implements Context<M>, Receiver, Results, Timers.Target {
  static final String NOT_READY = "client: datagram before the client was made";
  private final ClientLoop<M> owner;
  private final int index;
  private final ClientDriver driver;
  private final ClientHost host;
  private final FrameSender sender;
  private final Address self;
  private final Timers.Node timers;
  private final Client<M> client;

  /** Set last in the constructor: the socket is open before, and a stray datagram may come. */
  private volatile boolean ready;

  private Reassembler reassembler; // made on the first fragment
  private long startNanos;

  /**
   * The clock, read once per event (a reply, a timer, a start, a job's result): the completion time
   * of the operation the event completes, the start of the next one, and the base of the timers it
   * sets. Clock reads are slow on virtual machines (three per operation were 7 % of the load
   * generator's CPU); the next operation's latency thus includes the client's own processing of the
   * completion, a microsecond at most.
   */
  private long eventNanos;

  private Bytes result;
  private Completion completion;

  ClientSlot(
      ClientLoop<M> owner,
      int index,
      long clientId,
      Options options,
      InetSocketAddress bind,
      ClientDriver driver,
      ClientHost host)
      throws IOException {
    this.owner = owner;
    this.index = index;
    this.driver = driver;
    this.host = host;
    this.sender = new FrameSender(owner.socketFor(index, bind, this), owner.drops);
    this.self = Addresses.of(sender.socket().localAddress(), sender.socket().tag());
    this.timers = owner.timers.node(this);
    this.client =
        owner.protocol.client(new ClientSetup<>(owner.config, clientId, options, this, this));
    this.ready = true;
  }

  InetSocketAddress localAddress() {
    return sender.socket().localAddress();
  }

  ClientLoop<M> owner() {
    return owner;
  }

  /** A copy of the protocol client's drop counters; on the loop thread or after it stopped. */
  Map<String, Long> clientDrops() {
    return client.drops().snapshot();
  }

  /** Invokes the first operation; on the loop thread. */
  void start() {
    owner.guarded(
        () -> {
          eventNanos = System.nanoTime();
          client.onStart();
          invokeNext();
        });
  }

  /**
   * Invokes the next operation if the driver has one now: for a driver whose client was {@link
   * ClientDriver#finished} and has an operation again (a blocking caller submitted one). Only while
   * the client has nothing outstanding; from any thread.
   */
  void resume() {
    owner.loop.execute(
        () ->
            owner.guarded(
                () -> {
                  eventNanos = System.nanoTime();
                  invokeNext();
                }));
  }

  private void invokeNext() {
    if (host.isClosed() || driver.finished(index)) return;
    startNanos = eventNanos;
    client.invoke(driver.nextOp(index));
  }

  @Override
  public void onDatagram(InetSocketAddress from, byte[] data) {
    owner.guarded(() -> receive(from, data));
  }

  private void receive(InetSocketAddress from, byte[] data) {
    if (!ready) {
      owner.drops.count(NOT_READY);
      return;
    }
    if (data.length > Limits.DATAGRAM_MAX) {
      owner.drops.count(ReplicaInbound.OVERSIZED);
      return;
    }
    eventNanos = System.nanoTime();
    byte[] frame = data;
    if (Fragments.isFragment(data)) {
      if (reassembler == null) reassembler = new Reassembler(owner.drops);
      frame = reassembler.accept(from, data, eventNanos);
      if (frame == null) return;
    }
    Address sender = owner.addresses.address(from);
    M message =
        Decoding.decodeAndVerify(
            owner.protocol, owner.config, sender, frame, owner.crypto(), owner.drops);
    if (message == null) return;
    client.onMessage(sender, message);
    afterEvent();
  }

  @Override
  public void complete(Bytes result, Completion completion) {
    assert this.result == null : "two results for one operation";
    this.result = result;
    this.completion = completion;
  }

  /** Reports a completion the client made during the event, then starts the next operation. */
  private void afterEvent() {
    if (result == null) return;
    Bytes completed = result;
    result = null;
    driver.completed(index, completed, completion, eventNanos - startNanos);
    invokeNext();
  }

  @Override
  public void onTimer(TimerKey key) {
    eventNanos = System.nanoTime();
    client.onTimer(key);
    afterEvent();
  }

  @Override
  public Randomness random() {
    return owner.random;
  }

  @Override
  public Address self() {
    return self;
  }

  @Override
  public void send(Address to, M message) {
    Addresses.Endpoint target = owner.addresses.endpoint(to);
    if (target == null) {
      owner.drops.count(ReplicaContext.UNRESOLVABLE);
      return;
    }
    Writer out = encode(message);
    sender.send(
        Outbox.immediate(sender.socket()),
        target.socket(),
        target.tag(),
        out.buffer(),
        0,
        out.position());
  }

  @Override
  public void sendToReplica(int replica, M message) {
    Writer out = encode(message);
    sender.send(owner.addresses.replica(replica), out.buffer(), 0, out.position());
  }

  /** A client is no replica: it broadcasts to all of them. */
  @Override
  public void broadcast(M message) {
    Writer out = encode(message);
    for (int replica = 0; replica < owner.addresses.replicaCount(); replica++) {
      sender.send(owner.addresses.replica(replica), out.buffer(), 0, out.position());
    }
  }

  private Writer encode(M message) {
    Writer out = owner.writer();
    Frames.encode(owner.protocol, message, out);
    return out;
  }

  @Override
  public void setTimer(TimerKey key, Duration delay) {
    assert !delay.isNegative() : delay;
    Duration bounded =
        delay.compareTo(ReplicaContext.TIMER_DELAY_MAX) > 0
            ? ReplicaContext.TIMER_DELAY_MAX
            : delay;
    long deadline = eventNanos + bounded.toNanos();
    timers.set(key, deadline);
    owner.wakeBy(deadline);
  }

  @Override
  public void cancelTimer(TimerKey key) {
    timers.cancel(key);
  }

  /** The loop is the client's worker: the job runs later on it, as its own event. */
  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    owner.loop.execute(
        () ->
            owner.guarded(
                () -> {
                  R result = job.run(owner.crypto());
                  eventNanos = System.nanoTime();
                  done.onJobDone(result);
                  afterEvent();
                }));
  }
}
