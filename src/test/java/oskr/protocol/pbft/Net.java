package oskr.protocol.pbft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.PublicKeys;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Frames;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
import oskr.protocol.Node;
import oskr.protocol.Options;
import oskr.protocol.Rejected;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;

/**
 * A deterministic in-test network for PBFT: virtual time, a seeded scheduler, every message encoded
 * to a frame, decoded, verified by {@link Pbft#verify} with the receiver's crypto and only then
 * delivered; jobs run later as events. Drops, duplicates, delays (reordering), partitions, crashes
 * and a Byzantine rewriting hook.
 */
final class Net {
  /** Rewrites (or drops, with an empty list) a message on its way; for Byzantine behaviour. */
  interface Interceptor {
    List<PbftMessage> intercept(Address from, Address to, PbftMessage message);
  }

  final class Endpoint implements Context<PbftMessage> {
    final Address address;
    final Crypto crypto;
    Node<PbftMessage> node;
    boolean crashed;
    final Drops rejected = new Drops();
    private final Map<TimerKey, Long> timers = new HashMap<>();

    Endpoint(Address address, Crypto crypto) {
      this.address = address;
      this.crypto = crypto;
    }

    @Override
    public Address self() {
      return address;
    }

    @Override
    public void send(Address to, PbftMessage message) {
      transmit(address, to, message);
    }

    @Override
    public void sendToReplica(int index, PbftMessage message) {
      transmit(address, config.replica(index), message);
    }

    @Override
    public void broadcast(PbftMessage message) {
      for (Address replica : config.replicas()) {
        if (!replica.equals(address)) transmit(address, replica, message);
      }
    }

    @Override
    public void setTimer(TimerKey key, Duration delay) {
      long generation = ++eventCounter;
      timers.put(key, generation);
      schedule(
          delay.toNanos() / 1000,
          () -> {
            if (!crashed && timers.get(key) != null && timers.get(key) == generation) {
              timers.remove(key);
              node.onTimer(key);
            }
          });
    }

    @Override
    public void cancelTimer(TimerKey key) {
      timers.remove(key);
    }

    @Override
    public <R> void submit(Job<R> job, JobDone<R> done) {
      schedule(
          10 + random.nextInt(40),
          () -> {
            if (crashed) return;
            done.onJobDone(job.run(crypto));
          });
    }
  }

  private record Event(long time, long order, Runnable action) {}

  final Config config;
  final Options options;
  final Random random;
  final Scheme scheme;
  final List<SigningKey> keys = new ArrayList<>();
  final List<Endpoint> replicas = new ArrayList<>();
  final List<LogApp> apps = new ArrayList<>();
  final Map<Address, Endpoint> endpoints = new HashMap<>();
  private final PriorityQueue<Event> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
  private long eventCounter;
  long now;
  long delivered;
  double dropRate;
  double duplicateRate;
  int delayMinMicros = 100;
  int delayMaxMicros = 2000;
  final boolean[] isolated;
  Interceptor interceptor;
  private final Writer writer = new Writer(1 << 16);

  Net(long seed, int f, Options options, boolean keepHistory) {
    this(seed, f, options, keepHistory, 0);
  }

  Net(long seed, int f, Options options, boolean keepHistory, int ballastBytes) {
    this.random = new Random(seed);
    this.options = options;
    this.scheme = options.scheme();
    List<Address> addresses = new ArrayList<>();
    for (int i = 0; i < 3 * f + 1; i++) addresses.add(new Address("10.0.0." + (i + 1), 7001));
    this.config = Config.of(f, addresses);
    this.isolated = new boolean[config.n()];
    List<PublicKeys> publicKeys = new ArrayList<>();
    for (int i = 0; i < config.n(); i++) {
      SigningKey key = SigningKey.derive(("pbft test replica " + i).getBytes());
      keys.add(key);
      publicKeys.add(key.publicKeys());
    }
    for (int i = 0; i < config.n(); i++) {
      Keyring keyring = new Keyring(scheme, publicKeys, Optional.of(keys.get(i)));
      Endpoint endpoint = new Endpoint(addresses.get(i), new Crypto(keyring));
      LogApp app = new LogApp(keepHistory, ballastBytes);
      endpoint.node = Pbft.INSTANCE.replica(new ReplicaSetup<>(config, i, app, options, endpoint));
      replicas.add(endpoint);
      apps.add(app);
      endpoints.put(endpoint.address, endpoint);
    }
  }

  /** Replaces replica {@code index} by a fresh one (state lost), and brings it up. */
  void restartFresh(int index, int ballastBytes) {
    Endpoint endpoint = replicas.get(index);
    LogApp app = new LogApp(true, ballastBytes);
    apps.set(index, app);
    endpoint.node =
        Pbft.INSTANCE.replica(new ReplicaSetup<>(config, index, app, options, endpoint));
    endpoint.crashed = false;
  }

  Crypto cryptoOf(int replica) {
    return replicas.get(replica).crypto;
  }

  PbftReplica replica(int index) {
    return (PbftReplica) replicas.get(index).node;
  }

  Endpoint addClient(long clientId, oskr.protocol.Results results) {
    List<PublicKeys> publicKeys = keys.stream().map(SigningKey::publicKeys).toList();
    Address address = new Address("10.0.1." + (endpoints.size() + 1), 9000);
    SigningKey clientKey = SigningKey.derive(("pbft test client " + clientId).getBytes());
    Keyring keyring = Keyring.forClient(scheme, publicKeys, clientKey);
    Endpoint endpoint = new Endpoint(address, new Crypto(keyring));
    endpoint.node =
        Pbft.INSTANCE.client(new ClientSetup<>(config, clientId, options, endpoint, results));
    endpoints.put(address, endpoint);
    return endpoint;
  }

  @SuppressWarnings("unchecked")
  Client<PbftMessage> client(Endpoint endpoint) {
    return (Client<PbftMessage>) endpoint.node;
  }

  void schedule(long delayMicros, Runnable action) {
    queue.add(new Event(now + delayMicros, ++eventCounter, action));
  }

  private boolean cut(Address from, Address to) {
    int a = config.indexOf(from);
    int b = config.indexOf(to);
    return (a >= 0 && isolated[a]) || (b >= 0 && isolated[b]);
  }

  void transmit(Address from, Address to, PbftMessage message) {
    List<PbftMessage> messages =
        interceptor == null ? List.of(message) : interceptor.intercept(from, to, message);
    for (PbftMessage each : messages) {
      writer.reset();
      Frames.encode(Pbft.INSTANCE, each, writer);
      byte[] frame = writer.toArray();
      inject(from, to, frame);
      if (random.nextDouble() < duplicateRate) inject(from, to, frame);
    }
  }

  /** Puts a raw frame on the wire (subject to drops, delays and partitions). */
  void inject(Address from, Address to, byte[] frame) {
    if (cut(from, to) || random.nextDouble() < dropRate) return;
    long delay = delayMinMicros + random.nextInt(delayMaxMicros - delayMinMicros + 1);
    schedule(delay, () -> deliver(from, to, frame));
  }

  private void deliver(Address from, Address to, byte[] frame) {
    Endpoint endpoint = endpoints.get(to);
    if (endpoint == null || endpoint.crashed) return;
    PbftMessage message;
    try {
      message = Frames.decode(Pbft.INSTANCE, frame, 0, frame.length);
    } catch (MalformedMessage e) {
      endpoint.rejected.count("malformed: " + e.reason());
      return;
    }
    try {
      Pbft.INSTANCE.verify(message, from, config, endpoint.crypto);
    } catch (Rejected e) {
      endpoint.rejected.count(e.reason());
      return;
    }
    delivered++;
    endpoint.node.onMessage(from, message);
  }

  /** Runs events until {@code done} holds or virtual time passes {@code limit}. */
  boolean runUntil(BooleanSupplier done, Duration limit) {
    long end = now + limit.toNanos() / 1000;
    while (!done.getAsBoolean()) {
      Event event = queue.peek();
      if (event == null || event.time > end) {
        now = Math.max(now, end);
        return false;
      }
      queue.poll();
      now = event.time;
      event.action.run();
    }
    return true;
  }

  void runFor(Duration duration) {
    runUntil(() -> false, duration);
  }

  Bytes frameOf(PbftMessage message) {
    writer.reset();
    Frames.encode(Pbft.INSTANCE, message, writer);
    return Bytes.adopt(writer.toArray());
  }

  /** Each replica's state, for failure messages. */
  String describe() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < replicas.size(); i++) {
      PbftReplica r = replica(i);
      out.append("\n  r")
          .append(i)
          .append(replicas.get(i).crashed ? " crashed" : "")
          .append(" view ")
          .append(r.view())
          .append(r.normal ? " normal" : " changing")
          .append(" executed ")
          .append(r.lastExecuted())
          .append(" stable ")
          .append(r.checkpoints.stableSeq())
          .append(" assigned ")
          .append(r.lastAssignedSeq)
          .append(" log ")
          .append(r.log.keySet())
          .append(" waiting ")
          .append(r.requests.waiting.keySet())
          .append(" drops ")
          .append(r.drops())
          .append(" rejected ")
          .append(replicas.get(i).rejected);
    }
    return out.toString();
  }
}
