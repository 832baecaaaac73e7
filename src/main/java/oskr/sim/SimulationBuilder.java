package oskr.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.protocol.Options;
import oskr.protocol.Protocol;

/**
 * Configures a {@link Simulation}. Defaults: one replica ({@code f = 0}), one client doing 10
 * operations, a numbering app, {@link Options#defaults()}, {@link Latency#DEFAULT}, no filters.
 */
public final class SimulationBuilder<M> {
  /** Returns {@code "<opNumber>:<op>"}, so every result depends on the op and its position. */
  static final App NUMBERING_APP =
      App.stateless((opNumber, op) -> Bytes.utf8(opNumber + ":" + op.utf8String()));

  final Protocol<M> protocol;
  final long seed;
  Config config = replicaConfig(1, 0);
  int clients = 1;
  long opsPerClient = 10;
  OpSource opSource = OpSource.NUMBERED;
  Duration thinkTimeMax = Duration.ZERO;
  IntFunction<App> apps = replica -> NUMBERING_APP;
  Options options = Options.defaults();
  Latency latency = Latency.DEFAULT;
  Duration jobDelayMax = Duration.ofNanos(50_000);
  final List<Filter> filters = new ArrayList<>();
  Consumer<String> traceSink = line -> {};
  int traceTail = 2_000;
  long eventsMax = 5_000_000;
  int pendingMax = 1_000_000;

  SimulationBuilder(Protocol<M> protocol, long seed) {
    this.protocol = protocol;
    this.seed = seed;
  }

  /** The address of replica {@code index} in configs the builder makes. */
  public static Address replicaAddress(int index) {
    return new Address("sim-replica-" + index, 1);
  }

  public static Address clientAddress(int index) {
    return new Address("sim-client-" + index, 1);
  }

  /** {@code n} replicas at {@link #replicaAddress}, tolerating {@code f} faults. */
  public static Config replicaConfig(int n, int f) {
    List<Address> replicas = new ArrayList<>(n);
    for (int i = 0; i < n; i++) replicas.add(replicaAddress(i));
    return Config.of(f, replicas);
  }

  public SimulationBuilder<M> replicas(int n, int f) {
    return config(replicaConfig(n, f));
  }

  /** Any config; its replica addresses name the replicas' nodes. */
  public SimulationBuilder<M> config(Config config) {
    this.config = config;
    return this;
  }

  public SimulationBuilder<M> clients(int count) {
    if (count < 0) throw new IllegalArgumentException("negative client count");
    this.clients = count;
    return this;
  }

  /** Operations each client invokes, one at a time; {@code Long.MAX_VALUE} for no end. */
  public SimulationBuilder<M> opsPerClient(long count) {
    if (count < 0) throw new IllegalArgumentException("negative op count");
    this.opsPerClient = count;
    return this;
  }

  /** What the clients invoke; {@link OpSource#NUMBERED} by default. */
  public SimulationBuilder<M> ops(OpSource source) {
    this.opSource = source;
    return this;
  }

  /**
   * A client waits a seeded time in [0, max] after each completion before its next invocation (zero
   * by default: a closed loop without pause).
   */
  public SimulationBuilder<M> thinkTime(Duration max) {
    if (max.isNegative()) throw new IllegalArgumentException("negative think time");
    this.thinkTimeMax = max;
    return this;
  }

  /** Makes replica {@code i}'s app; called again when a replica restarts without its state. */
  public SimulationBuilder<M> app(IntFunction<App> apps) {
    this.apps = apps;
    return this;
  }

  public SimulationBuilder<M> options(Options options) {
    this.options = options;
    return this;
  }

  public SimulationBuilder<M> latency(Latency latency) {
    this.latency = latency;
    return this;
  }

  /** A job runs a seeded delay in [0, max] after its submission, its result right after. */
  public SimulationBuilder<M> jobDelayMax(Duration max) {
    if (max.isNegative()) throw new IllegalArgumentException("negative job delay");
    this.jobDelayMax = max;
    return this;
  }

  /** Adds a filter at the end of the chain. */
  public SimulationBuilder<M> filter(Filter filter) {
    filters.add(filter);
    return this;
  }

  /** Sees every trace line as it is written, for example {@code System.out::println}. */
  public SimulationBuilder<M> traceSink(Consumer<String> sink) {
    this.traceSink = sink;
    return this;
  }

  /** Trace lines kept in memory for {@link Simulation#traceTail}. */
  public SimulationBuilder<M> traceTail(int lines) {
    this.traceTail = lines;
    return this;
  }

  /** The most events the simulation runs, over all calls to run. */
  public SimulationBuilder<M> maxEvents(long events) {
    this.eventsMax = events;
    return this;
  }

  /** The most events waiting in the queue at once; past it the run fails. */
  public SimulationBuilder<M> maxPendingEvents(int events) {
    this.pendingMax = events;
    return this;
  }

  /** The first line of the trace. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "simulation %s seed %d: %d replicas (f = %d), %d clients, %s, %s",
        protocol.name(),
        seed,
        config.n(),
        config.f(),
        clients,
        options,
        latency);
  }

  /**
   * Checks the config with the protocol and makes the simulation, ready to run.
   *
   * @throws IllegalArgumentException if the protocol rejects the config
   */
  public Simulation<M> build() {
    try {
      protocol.checkConfig(config, "simulation config");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new Simulation<>(this);
  }
}
