package oskr.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Drops;

/**
 * The in-memory network: runs each sent frame through the filter chain, then schedules every
 * surviving copy for delivery after the base latency (plus jitter) and the delay the filters added.
 * Drops are counted by reason and traced; so are copies and rewrites.
 */
final class Network {
  /** The nodes' side of the network. */
  interface Receiver {
    /** Whether a node has this address; a packet to any other address is lost. */
    boolean knows(Address address);

    /** Called, as an event of its own, for each copy that arrives at a known address. */
    void deliver(Packet packet);

    /** A readable form of a frame, for the trace. */
    String describe(Bytes frame);
  }

  private final Scheduler scheduler;
  private final Trace trace;
  private final SplittableRandom random;
  private final Latency latency;
  private final Receiver receiver;
  private final List<Filter> filters = new ArrayList<>();
  private final Drops drops = new Drops();
  private long sends;
  private long scheduled;

  Network(
      Scheduler scheduler,
      Trace trace,
      SplittableRandom random,
      Latency latency,
      Receiver receiver) {
    this.scheduler = scheduler;
    this.trace = trace;
    this.random = random;
    this.latency = latency;
    this.receiver = receiver;
  }

  /**
   * Sends a frame, traced with {@code description}; returns the id its copies carry in the trace.
   */
  long send(Address from, Address to, Bytes frame, String description) {
    long id = ++sends;
    Packet sent = new Packet(id, from, to, frame, 0);
    trace.add(scheduler.now(), "send #" + id + " " + route(sent) + ": " + description);
    List<Packet> current = List.of(sent);
    for (int i = 0; i < filters.size() && !current.isEmpty(); i++) {
      current = applyFilter(filters.get(i), Filter.label(filters.get(i), i), current);
    }
    for (Packet packet : current) schedule(packet);
    return id;
  }

  private List<Packet> applyFilter(Filter filter, String label, List<Packet> packets) {
    Step step = new Step(label);
    for (Packet packet : packets) {
      step.begin(packet);
      filter.apply(packet, step);
      step.end();
    }
    return step.passed;
  }

  private void schedule(Packet packet) {
    long delay = latency.base().toNanos() + Filter.upTo(random, latency.jitter().toNanos());
    scheduled++;
    scheduler.after(delay + packet.delayNanos(), () -> arrive(packet));
  }

  private void arrive(Packet packet) {
    if (receiver.knows(packet.to())) {
      receiver.deliver(packet);
      return;
    }
    drops.count(Simulation.NO_SUCH_NODE);
    trace.add(
        scheduler.now(),
        "drop #" + packet.id() + " " + route(packet) + " (" + Simulation.NO_SUCH_NODE + ")");
  }

  /** One filter's verdicts on the packets of one send; checks that each packet got one. */
  private final class Step implements Filter.Outlet {
    private final String filter;
    private final List<Packet> passed = new ArrayList<>(2);
    private Packet current;
    private int verdicts;

    Step(String filter) {
      this.filter = filter;
    }

    void begin(Packet packet) {
      current = packet;
      verdicts = 0;
    }

    void end() {
      if (verdicts == 0) {
        throw new IllegalStateException(
            filter + " neither passed nor dropped packet #" + current.id());
      }
    }

    @Override
    public void pass(Packet packet) {
      verdicts++;
      if (verdicts > 1) trace.add(scheduler.now(), "copy #" + packet.id() + " by " + filter);
      if (packet.frame() != current.frame()) {
        trace.add(
            scheduler.now(),
            "rewrite #"
                + packet.id()
                + " "
                + route(packet)
                + " by "
                + filter
                + ": "
                + receiver.describe(packet.frame()));
      }
      passed.add(packet);
    }

    @Override
    public void drop(Packet packet, String reason) {
      verdicts++;
      drops.count(reason);
      trace.add(
          scheduler.now(),
          "drop #"
              + packet.id()
              + " "
              + route(packet)
              + " ("
              + reason
              + "): "
              + receiver.describe(packet.frame()));
    }

    @Override
    public SplittableRandom random() {
      return random;
    }

    @Override
    public long now() {
      return scheduler.now();
    }
  }

  static String route(Packet packet) {
    return packet.from() + " -> " + packet.to();
  }

  /** Adds a filter at the end of the chain and returns its label for the trace. */
  String addFilter(Filter filter) {
    filters.add(filter);
    return Filter.label(filter, filters.size() - 1);
  }

  /** Removes a filter; returns its label for the trace, or empty if it was not in the chain. */
  Optional<String> removeFilter(Filter filter) {
    int position = filters.indexOf(filter);
    if (position < 0) return Optional.empty();
    filters.remove(position);
    return Optional.of(Filter.label(filter, position));
  }

  void clearFilters() {
    filters.clear();
  }

  List<Filter> filters() {
    return List.copyOf(filters);
  }

  /** Packets the filters dropped, by reason. */
  Drops drops() {
    return drops;
  }

  long sends() {
    return sends;
  }

  /** Copies scheduled for delivery (after filters; duplicates counted). */
  long scheduled() {
    return scheduled;
  }
}
