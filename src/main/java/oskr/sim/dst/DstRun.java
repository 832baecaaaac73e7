package oskr.sim.dst;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import oskr.core.Address;
import oskr.protocol.Behaviour;
import oskr.protocol.SimulationTarget;
import oskr.sim.Filter;
import oskr.sim.Partition;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationFailure;
import oskr.sim.Trace;

/**
 * Runs one {@link Scenario} of a {@link SimulationTarget}: builds the simulation, arms the faults,
 * runs the fault phase, heals, runs until every client is done or the liveness bound passes, and
 * checks the run ({@link DstChecks}).
 */
public final class DstRun<M> {
  /** Trace lines a failure report shows. */
  public static final int REPORT_LINES = 60;

  /** The most events one run may take: far above a passing run's, so a livelock ends. */
  static final long EVENTS_MAX = 3_000_000;

  private final SimulationTarget<M> target;
  private final Scenario scenario;
  private final Simulation<M> sim;

  /** Network faults and partitions in force: removed when the faults heal. */
  private final List<Filter> faultFilters = new ArrayList<>();

  private DstRun(SimulationTarget<M> target, Scenario scenario, Consumer<String> traceSink) {
    this.target = target;
    this.scenario = scenario;
    this.sim =
        Simulation.builder(target.protocol(), scenario.seed())
            .replicas(scenario.replicas(), scenario.f())
            .clients(scenario.clients())
            .opsPerClient(scenario.opsPerClient())
            .ops(scenario.workload())
            .thinkTime(scenario.thinkTimeMax())
            .app(replica -> new TaggedKvApp())
            .options(target.options())
            .traceTail(REPORT_LINES)
            .traceSink(traceSink)
            .maxEvents(EVENTS_MAX)
            .build();
  }

  /** Runs the scenario of {@code seed}. */
  public static <M> DstResult run(
      SimulationTarget<M> target, long seed, Consumer<String> traceSink) {
    return run(target, Scenario.draw(target, seed), traceSink);
  }

  /**
   * Runs {@code scenario}, which may lie outside the target's fault model (a test's planted fault).
   *
   * @param traceSink sees every trace line, for a full replay
   */
  public static <M> DstResult run(
      SimulationTarget<M> target, Scenario scenario, Consumer<String> traceSink) {
    DstResult result = new DstRun<>(target, scenario, traceSink).run();
    long brokeAt = result.violation().map(Violation::atNanos).orElse(Violation.AT_END);
    if (brokeAt == Violation.AT_END) return result;
    // The run went on after the property broke; the same seed again, stopped there, shows the
    // events that led to it.
    String tail = new DstRun<>(target, scenario, line -> {}).traceUntil(brokeAt);
    return new DstResult(
        result.protocol(),
        result.seed(),
        result.scenario(),
        result.summary(),
        result.violation(),
        result.traceHash(),
        "up to the violation at " + Trace.formatTime(brokeAt).strip() + " ms, " + tail);
  }

  /** Runs to virtual time {@code nanos} (healing on time) and returns the trace's tail there. */
  private String traceUntil(long nanos) {
    arm();
    try {
      long faultEnd = scenario.faultPhase().toNanos();
      sim.runUntil(() -> false, Duration.ofNanos(Math.min(nanos, faultEnd)));
      if (nanos > faultEnd) {
        sim.after(Duration.ZERO, "heal: faults end, downed nodes come back", this::heal);
        sim.runUntil(() -> false, Duration.ofNanos(nanos - sim.nowNanos()));
      }
    } catch (SimulationFailure e) {
      // The first run ended the same way; its report names the failure.
    }
    return sim.traceTail(REPORT_LINES);
  }

  private DstResult run() {
    arm();
    RunStatus status;
    long healedAt = -1;
    Optional<Violation> violation;
    try {
      status = sim.runUntil(sim::allClientsDone, scenario.faultPhase());
      if (status != RunStatus.SATISFIED) {
        healedAt = sim.nowNanos();
        sim.after(Duration.ZERO, "heal: faults end, downed nodes come back", this::heal);
        status = sim.runUntil(sim::allClientsDone, target.livenessBound());
      }
      violation = new DstChecks<>(sim, scenario).check(status, healedAt, target.livenessBound());
    } catch (SimulationFailure e) {
      status = RunStatus.IDLE;
      violation = Optional.of(DstChecks.nodeFailure(e));
    }
    String summary = summary(status, healedAt, violation);
    return new DstResult(
        target.name(),
        scenario.seed(),
        scenario.describe(),
        summary,
        violation,
        sim.traceHash(),
        sim.traceTail(REPORT_LINES));
  }

  /** Byzantine replicas first, then network faults, skews and the episodes' events. */
  private void arm() {
    scenario
        .byzantine()
        .forEach(
            (replica, behaviour) -> {
              if (behaviour == Behaviour.TWINS) {
                sim.addTwin(replica, scenario.twins().get(replica));
              } else {
                sim.addFilter(Byzantine.filter(behaviour, sim, replica, target.adapter()));
              }
            });
    for (Filter filter : scenario.network().filters()) {
      sim.addFilter(filter);
      faultFilters.add(filter);
    }
    scenario.timerSkews().forEach(sim::timerSkew);
    for (Episode episode : scenario.episodes()) schedule(episode);
  }

  private void schedule(Episode episode) {
    switch (episode) {
      case Episode.Cut cut -> {
        Partition partition =
            cut.oneWay()
                ? Partition.oneWay(cut.sideA(), cut.sideB())
                : Partition.symmetric(cut.sideA(), cut.sideB());
        at(cut.start(), "fault: " + cut, () -> addFault(partition));
        at(cut.end(), "fault ends: " + cut, () -> removeFault(partition));
      }
      case Episode.Pause pause -> {
        at(pause.start(), "fault: " + pause, () -> sim.pause(pause.node()));
        at(pause.end(), "fault ends: " + pause, () -> resume(pause.node()));
      }
      case Episode.Amnesia amnesia -> {
        at(amnesia.start(), "fault: " + amnesia, () -> sim.crash(amnesia.node(), false));
        at(amnesia.end(), "fault ends: " + amnesia, () -> restart(amnesia.node()));
      }
    }
  }

  private void at(Duration time, String description, Runnable action) {
    sim.after(time.minusNanos(sim.nowNanos()), description, action);
  }

  private void addFault(Filter filter) {
    sim.addFilter(filter);
    faultFilters.add(filter);
  }

  private void removeFault(Filter filter) {
    if (faultFilters.remove(filter)) sim.removeFilter(filter);
  }

  private void resume(Address node) {
    if (sim.isPaused(node)) sim.resume(node);
  }

  private void restart(Address node) {
    if (!sim.isUp(node) && !sim.isPaused(node)) sim.restart(node);
  }

  /** Network faults and partitions end; paused nodes resume, crashed ones restart. */
  private void heal() {
    for (Filter filter : List.copyOf(faultFilters)) removeFault(filter);
    for (int i = 0; i < sim.replicaCount(); i++) bringBack(sim.replicaAddress(i));
    for (int i = 0; i < sim.clientCount(); i++) bringBack(sim.clientAddress(i));
  }

  private void bringBack(Address node) {
    resume(node);
    restart(node);
  }

  private String summary(RunStatus status, long healedAt, Optional<Violation> violation) {
    return String.format(
        Locale.ROOT,
        "%s %s seed %d: %s, %d of %d ops completed, %s ms virtual time%s, %d events, trace hash"
            + " %s",
        violation.isEmpty() ? "passed" : "FAILED",
        target.name(),
        scenario.seed(),
        status,
        sim.completedOperations(),
        scenario.clients() * scenario.opsPerClient(),
        Trace.formatTime(sim.nowNanos()).strip(),
        healedAt < 0
            ? " (done before healing)"
            : " (healed at " + Trace.formatTime(healedAt).strip() + " ms)",
        sim.eventsRun(),
        sim.traceHash().substring(0, 16));
  }
}
