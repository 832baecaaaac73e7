package oskr.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.VerifyMemo;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Drops;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;

/**
 * A deterministic simulation of one protocol: replicas and clients on an in-memory network with a
 * virtual clock, all run by one seeded scheduler on the calling thread. Every message is encoded to
 * a frame on send, passes the network's filters, and is decoded and verified on delivery, exactly
 * as on the wire; malformed and rejected frames are counted per node. The same seed and the same
 * calls give the same trace, line for line.
 *
 * <pre>{@code
 * var sim = Simulation.builder(Unreplicated.PLAIN, seed).clients(3).opsPerClient(20)
 *     .filter(new Drop(0.1)).filter(new Duplicate(0.1)).build();
 * RunStatus status = sim.runUntil(sim::allClientsDone, Duration.ofSeconds(30));
 * assertThat(Checks.exactlyOnce(sim.executions())).as(sim.traceTail(40)).isEmpty();
 * }</pre>
 */
public final class Simulation<M> {
  /** Receive-path drop reasons, counted per node in {@link #receiveDrops}. */
  public static final String NODE_DOWN = "node down";

  public static final String MALFORMED = "malformed: ";
  public static final String REJECTED = "rejected: ";

  /** Network drop reason for a packet to an address no node has. */
  public static final String NO_SUCH_NODE = "no such node";

  private final Protocol<M> protocol;
  private final long seed;
  private final Config config;
  private final Options options;
  private final SplittableRandom random;
  private final Scheduler scheduler;
  private final Trace trace;
  private final Network network;
  private final SimKeys keys;
  private final VerifyMemo verifyMemo = new VerifyMemo();
  private final IntFunction<App> apps;
  private final long jobDelayMaxNanos;
  private final TreeMap<Address, SimNode<M>> nodes = new TreeMap<>();

  private final Twins<M> twins = new Twins<>();

  private final List<SimNode<M>> replicas = new ArrayList<>();
  private final List<SimNode<M>> clients = new ArrayList<>();
  private final TreeSet<Long> clientIds = new TreeSet<>();
  private final List<Execution> executions = new ArrayList<>();
  private final List<Execution> speculativeExecutions = new ArrayList<>();
  private final Workload<M> workload;
  private final Writer sendBuffer = new Writer(1024);

  public static <M> SimulationBuilder<M> builder(Protocol<M> protocol, long seed) {
    return new SimulationBuilder<>(protocol, seed);
  }

  Simulation(SimulationBuilder<M> builder) {
    this.protocol = builder.protocol;
    this.seed = builder.seed;
    this.config = builder.config;
    this.options = builder.options;
    this.apps = builder.apps;
    this.jobDelayMaxNanos = builder.jobDelayMax.toNanos();
    this.random = new SplittableRandom(seed);
    this.scheduler = new Scheduler(builder.eventsMax, builder.pendingMax);
    this.trace = new Trace(builder.traceTail, builder.traceSink);
    this.network = new Network(scheduler, trace, random, builder.latency, new ReceivePath<>(this));
    this.keys = new SimKeys(seed, config.n(), options.scheme());
    this.workload =
        new Workload<>(
            this, builder.clients, builder.opsPerClient, builder.opSource, builder.thinkTimeMax);
    trace(builder.describe());
    for (Filter filter : builder.filters) addFilter(filter);
    for (int i = 0; i < config.n(); i++) addReplica(i);
    for (int i = 0; i < builder.clients; i++) addClient(i);
    // Start events once every node exists, as a cluster whose processes all came up.
    for (SimNode<M> replica : replicas) replica.start();
    for (SimNode<M> client : clients) client.start();
    workload.start();
  }

  /**
   * A node's crypto toolbox: its signature checks are remembered for the whole simulation (every
   * replica checks the same signatures; a check is a pure function of its inputs).
   */
  public Crypto crypto(Keyring keyring) {
    return new Crypto(keyring, verifyMemo);
  }

  private void addReplica(int index) {
    Address address = config.replica(index);
    SimNode<M> node =
        new SimNode<>(this, address, SimNode.Role.REPLICA, index, crypto(keys.replica(index)));
    node.install(newReplica(node), 0);
    nodes.put(address, node);
    replicas.add(node);
  }

  private void addClient(int index) {
    Address address = SimulationBuilder.clientAddress(index);
    if (nodes.containsKey(address)) throw new IllegalArgumentException(address + " is a replica");
    SimNode<M> node =
        new SimNode<>(this, address, SimNode.Role.CLIENT, index, crypto(keys.client(index)));
    installClient(node);
    nodes.put(address, node);
    clients.add(node);
  }

  private Replica<M> newReplica(SimNode<M> node) {
    int index = node.index();
    App app =
        new RecordingApp(
            apps.apply(index),
            index,
            node.incarnation(),
            scheduler,
            executions,
            speculativeExecutions);
    ReplicaSetup.Start start =
        node.incarnation() == 0 ? ReplicaSetup.Start.FRESH : ReplicaSetup.Start.AFTER_STATE_LOSS;
    return protocol.replica(new ReplicaSetup<>(config, index, app, options, node, start));
  }

  /** Makes a fresh protocol client with a new seeded client id, unique in this run. */
  private void installClient(SimNode<M> node) {
    long clientId;
    do {
      clientId = random.nextLong() & Long.MAX_VALUE;
    } while (!clientIds.add(clientId));
    int index = node.index();
    ClientSetup<M> setup =
        new ClientSetup<>(
            config,
            clientId,
            options,
            node,
            (result, completion) -> workload.completed(index, result, completion));
    node.install(protocol.client(setup), clientId);
  }

  // ---- running ----

  /**
   * Runs events until {@code condition} holds (checked before every event), {@code timeout} of
   * virtual time has passed, no event is left, or the event limit is reached.
   *
   * @throws SimulationFailure if a node or check throws; the message names the seed and ends with
   *     the trace's tail
   */
  public RunStatus runUntil(BooleanSupplier condition, Duration timeout) {
    long deadline = Math.addExact(scheduler.now(), timeout.toNanos());
    try {
      return scheduler.run(condition, deadline);
    } catch (RuntimeException | AssertionError e) {
      throw new SimulationFailure(
          "seed "
              + seed
              + " failed at "
              + Trace.formatTime(scheduler.now()).strip()
              + " ms: "
              + e
              + "\n"
              + traceTail(40),
          e);
    }
  }

  /** Runs {@code duration} of virtual time (less if the event limit comes first). */
  public RunStatus runFor(Duration duration) {
    return runUntil(() -> false, duration);
  }

  /**
   * Schedules {@code action} (a fault, a check, a change of filters) as an event {@code delay} from
   * now; it is traced with {@code description}.
   */
  public void after(Duration delay, String description, Runnable action) {
    scheduler.after(
        delay.toNanos(),
        () -> {
          trace(description);
          action.run();
        });
  }

  // ---- faults ----

  /**
   * Crashes a node now: it loses its timers and jobs in flight, and drops what arrives while it is
   * down. {@code keepState} decides whether {@link #restart} brings back the same protocol object
   * (a process that was paused) or a fresh one from the protocol's factory, with a fresh app (a
   * machine that lost its memory; a client also gets a new client id).
   */
  public void crash(Address address, boolean keepState) {
    SimNode<M> node = node(address);
    node.crash(keepState);
    trace("crash " + address + (keepState ? " (state kept)" : " (state lost)"));
    if (!keepState && node.role() == SimNode.Role.CLIENT)
      workload.crashedWithoutState(node.index());
  }

  /** Restarts a crashed node; timers armed before the crash stay gone. */
  public void restart(Address address) {
    SimNode<M> node = node(address);
    boolean fresh = node.restart();
    if (fresh && node.role() == SimNode.Role.REPLICA) node.install(newReplica(node), 0);
    if (fresh && node.role() == SimNode.Role.CLIENT) installClient(node);
    trace("restart " + address + (fresh ? " (fresh state)" : " (state kept)"));
    node.start();
    if (node.role() == SimNode.Role.CLIENT) workload.restarted(node.index());
  }

  /**
   * Pauses a node now, as a stopped process or a stalled machine: it drops what arrives while
   * paused, and the timers and jobs that come due meanwhile wait for {@link #resume}. It loses
   * nothing, so this is the crash with state kept that any protocol must survive.
   */
  public void pause(Address address) {
    node(address).pause();
    trace("pause " + address);
  }

  /** Resumes a paused node: the timers and jobs that came due meanwhile run now, in order. */
  public void resume(Address address) {
    SimNode<M> node = node(address);
    node.resume();
    trace("resume " + address);
    if (node.role() == SimNode.Role.CLIENT) workload.restarted(node.index());
  }

  /** Whether the node is up: neither crashed nor paused. */
  public boolean isUp(Address address) {
    return node(address).isUp();
  }

  public boolean isPaused(Address address) {
    return node(address).isPaused();
  }

  /**
   * Skews a node's clock: every timer it sets from now on lasts {@code factor} times its duration
   * (above 1 a slow clock, below 1 a fast one). The virtual clock itself stays shared.
   */
  public void timerSkew(Address address, double factor) {
    node(address).timerSkew(factor);
    trace("timer skew " + address + " x" + factor);
  }

  /** Cuts every link between the two sides, both ways, until removed or {@link #heal()}. */
  public Partition partition(Set<Address> sideA, Set<Address> sideB) {
    return addPartition(Partition.symmetric(sideA, sideB));
  }

  /** Loses every packet from {@code from} to {@code to}; the other direction works. */
  public Partition partitionOneWay(Set<Address> from, Set<Address> to) {
    return addPartition(Partition.oneWay(from, to));
  }

  private Partition addPartition(Partition partition) {
    addFilter(partition);
    return partition;
  }

  /** Adds a filter at the end of the chain, effective for packets sent from now on. */
  public void addFilter(Filter filter) {
    trace("add filter " + network.addFilter(filter));
  }

  public boolean removeFilter(Filter filter) {
    Optional<String> label = network.removeFilter(filter);
    label.ifPresent(removed -> trace("remove filter " + removed));
    return label.isPresent();
  }

  public List<Filter> filters() {
    return network.filters();
  }

  /**
   * Removes every filter, partitions included: packets sent from now on see only the base latency.
   * Packets already in flight keep the fate the filters gave them.
   */
  public void heal() {
    network.clearFilters();
    trace("heal: no filters");
  }

  /** Sends {@code message} from any address, even one no node has: a forger on the network. */
  public void inject(Address from, Address to, M message) {
    transmit(from, to, message);
  }

  /** Sends raw bytes as a frame, for malformed-input tests. */
  public void injectFrame(Address from, Address to, Bytes frame) {
    network.send(from, to, frame, "raw frame " + frame);
  }

  // ---- the nodes' side, used by SimNode and Workload ----

  void transmit(Address from, Address to, M message) {
    sendBuffer.reset();
    Frames.encode(protocol, message, sendBuffer);
    network.send(from, to, sendBuffer.toBytes(), String.valueOf(message));
  }

  void trace(String text) {
    trace.add(scheduler.now(), text);
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /**
   * The run's one random generator, seeded from the seed. Fault schedules drawn from it inside
   * events stay reproducible; draw only on the simulation's thread.
   */
  public SplittableRandom random() {
    return random;
  }

  long jobDelay() {
    return Filter.upTo(random, jobDelayMaxNanos);
  }

  SimNode<M> clientNode(int index) {
    return clients.get(index);
  }

  /** Whether a packet to {@code to} reaches a node at all. */
  boolean knows(Address to) {
    return nodes.containsKey(to);
  }

  /**
   * The node a packet from {@code from} to {@code to} arrives at: the replica at {@code to}, or its
   * twin if {@code from} is on the twin's side.
   */
  SimNode<M> receiver(Address from, Address to) {
    SimNode<M> twin = twins.receiver(from, to);
    return twin != null ? twin : nodes.get(to);
  }

  /**
   * Runs replica {@code index} twice from now on ({@link Twins}): a fresh second instance with its
   * keys talks with {@code reaches}, the first with everyone else. The twin's executions are not
   * recorded (it is not correct).
   *
   * @throws IllegalArgumentException if the replica has a twin already or {@code reaches} names the
   *     replica itself
   */
  public void addTwin(int index, Set<Address> reaches) {
    Address address = config.replica(index);
    SimNode<M> twin =
        new SimNode<>(this, address, SimNode.Role.REPLICA, index, crypto(keys.replica(index)));
    twins.pair(node(address), twin, reaches);
    twin.install(
        protocol.replica(new ReplicaSetup<>(config, index, apps.apply(index), options, twin)), 0);
    trace("twin of " + address + " talks with " + new TreeSet<>(reaches));
    twin.start();
  }

  private SimNode<M> node(Address address) {
    SimNode<M> node = nodes.get(address);
    if (node == null) throw new IllegalArgumentException("no node at " + address);
    return node;
  }

  // ---- observation ----

  public Protocol<M> protocol() {
    return protocol;
  }

  public long seed() {
    return seed;
  }

  public Config config() {
    return config;
  }

  public Options options() {
    return options;
  }

  public SimKeys keys() {
    return keys;
  }

  /** Virtual nanoseconds since the start. */
  public long nowNanos() {
    return scheduler.now();
  }

  public long eventsRun() {
    return scheduler.eventsRun();
  }

  public int replicaCount() {
    return replicas.size();
  }

  public int clientCount() {
    return clients.size();
  }

  public Address replicaAddress(int index) {
    return replicas.get(index).address();
  }

  public Address clientAddress(int index) {
    return clients.get(index).address();
  }

  /** Replica {@code index}'s current protocol object (a new one after a restart without state). */
  public Replica<M> replica(int index) {
    return replicas.get(index).replica();
  }

  public Client<M> client(int index) {
    return clients.get(index).client();
  }

  public long clientId(int index) {
    return clients.get(index).clientId();
  }

  /** What the receive path dropped at {@code address}: node down, malformed, rejected. */
  public Drops receiveDrops(Address address) {
    return node(address).receiveDrops();
  }

  /** What the filters dropped, by reason, and packets to unknown addresses. */
  public Drops networkDrops() {
    return network.drops();
  }

  /** Frames sent so far (by nodes and injections), before filters. */
  public long framesSent() {
    return network.sends();
  }

  /** Every execution of every replica, in time order. */
  public List<Execution> executions() {
    return List.copyOf(executions);
  }

  /**
   * Every tentative execution of a speculative protocol, when it happened, whether it was committed
   * or rolled back later: the results a replica produced that a client may have accepted on a fast
   * path before any replica committed them.
   */
  public List<Execution> speculativeExecutions() {
    return List.copyOf(speculativeExecutions);
  }

  /** Every client operation, in invocation order: the history for linearizability checks. */
  public List<ClientOperation> history() {
    return workload.history();
  }

  public long completedOperations() {
    return workload.completed();
  }

  /** Operations completed on {@code path} (a speculative protocol's fast or slow path, say). */
  public long completedOperations(Completion.Path path) {
    return workload.completed(path);
  }

  /** Operations that completed only after their client resent the request. */
  public long completedAfterResend() {
    return workload.completedAfterResend();
  }

  /** Every client invoked all its operations and has none outstanding. */
  public boolean allClientsDone() {
    return workload.allDone();
  }

  /** The SHA-256 of the whole trace so far: equal for two runs of one seed. */
  public String traceHash() {
    return trace.hash();
  }

  /** The last {@code lines} trace lines, for a failing test's message. */
  public String traceTail(int lines) {
    return trace.tailText(lines);
  }

  public Trace trace() {
    return trace;
  }
}
