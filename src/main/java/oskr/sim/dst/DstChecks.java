package oskr.sim.dst;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import oskr.app.KvOp;
import oskr.core.MalformedMessage;
import oskr.sim.Checks;
import oskr.sim.ClientOperation;
import oskr.sim.Execution;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationFailure;
import oskr.sim.Trace;
import oskr.sim.linearizability.HistoryRecorder;
import oskr.sim.linearizability.LinearizabilityChecker;
import oskr.sim.linearizability.Verdict;

/**
 * The properties checked after every run, in order; the first one broken is the run's verdict.
 * Safety first (agreement and exactly-once among correct replicas, no forged result accepted), then
 * linearizability of what the clients saw, then liveness after healing.
 */
final class DstChecks<M> {
  private final Simulation<M> sim;
  private final Scenario scenario;

  DstChecks(Simulation<M> sim, Scenario scenario) {
    this.sim = sim;
    this.scenario = scenario;
  }

  static Violation nodeFailure(SimulationFailure failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    List<String> details = new ArrayList<>();
    details.add(String.valueOf(cause));
    StackTraceElement[] stack = cause.getStackTrace();
    for (int i = 0; i < Math.min(8, stack.length); i++) details.add("  at " + stack[i]);
    return new Violation(Violation.Property.NO_NODE_FAILURE, details);
  }

  /**
   * @param healedAt virtual time the faults healed, or -1 if the run was done before
   */
  Optional<Violation> check(RunStatus status, long healedAt, Duration livenessBound) {
    List<Execution> correct = correctExecutions();
    // A speculative protocol's client may accept a result before any replica commits it (the
    // run ends when the clients are done); what it accepted must still be a result a replica
    // produced for that op. Agreement and exactly-once see committed executions only.
    List<Execution> all = new ArrayList<>(sim.executions());
    all.addAll(sim.speculativeExecutions());
    List<ClientOperation> history = sim.history();
    Optional<Violation> found =
        first(
            safety(Violation.Property.AGREEMENT, correct, Checks::agreement, Execution::timeNanos),
            safety(
                Violation.Property.EXACTLY_ONCE,
                correct,
                Checks::exactlyOnce,
                Execution::timeNanos),
            // Every replica's code is correct here (Byzantine ones misbehave on the wire only),
            // so any replica's execution stands for a result the protocol may give.
            safety(
                Violation.Property.NO_FORGED_RESULT,
                history,
                prefix -> Checks.acceptedResultsExecuted(prefix, all),
                ClientOperation::completedNanos));
    if (found.isPresent()) return found;
    found = linearizability();
    if (found.isPresent()) return found;
    return liveness(status, healedAt, livenessBound);
  }

  @SafeVarargs
  private static Optional<Violation> first(Optional<Violation>... violations) {
    for (Optional<Violation> violation : violations) {
      if (violation.isPresent()) return violation;
    }
    return Optional.empty();
  }

  /**
   * A safety check over records in time order: a violation, if any, dated by the record that
   * completes the shortest failing prefix (the checks only find more in longer prefixes).
   */
  private static <T> Optional<Violation> safety(
      Violation.Property property,
      List<T> records,
      Function<List<T>, List<String>> check,
      ToLongFunction<T> time) {
    List<String> lines = check.apply(records);
    if (lines.isEmpty()) return Optional.empty();
    int passing = 0;
    int failing = records.size();
    while (failing - passing > 1) {
      int middle = (passing + failing) >>> 1;
      if (check.apply(records.subList(0, middle)).isEmpty()) {
        passing = middle;
      } else {
        failing = middle;
      }
    }
    return Optional.of(new Violation(property, lines, time.applyAsLong(records.get(failing - 1))));
  }

  private static Optional<Violation> violation(Violation.Property property, List<String> lines) {
    return lines.isEmpty() ? Optional.empty() : Optional.of(new Violation(property, lines));
  }

  private List<Execution> correctExecutions() {
    List<Execution> correct = new ArrayList<>();
    for (Execution execution : sim.executions()) {
      if (!scenario.byzantine().containsKey(execution.replica())) correct.add(execution);
    }
    return correct;
  }

  private Optional<Violation> linearizability() {
    HistoryRecorder recorder = new HistoryRecorder();
    for (ClientOperation operation : sim.history()) {
      KvOp op;
      try {
        op = KvWorkload.untag(operation.op());
      } catch (MalformedMessage e) {
        throw new IllegalStateException("the workload made an undecodable op: " + operation, e);
      }
      int handle = recorder.invoke(operation.client(), operation.invokedNanos(), op);
      if (operation.isCompleted()) {
        recorder.complete(handle, operation.completedNanos(), operation.result());
      }
    }
    if (!recorder.problems().isEmpty()) {
      return violation(Violation.Property.LINEARIZABILITY, recorder.problems());
    }
    Verdict verdict = new LinearizabilityChecker().check(recorder.history());
    if (verdict.isLinearizable()) return Optional.empty();
    return violation(Violation.Property.LINEARIZABILITY, verdict.report().lines().toList());
  }

  private Optional<Violation> liveness(RunStatus status, long healedAt, Duration bound) {
    if (status == RunStatus.SATISFIED) return Optional.empty();
    List<String> details = new ArrayList<>();
    details.add(
        "not every client done "
            + bound.toMillis()
            + " ms after the faults healed at "
            + Trace.formatTime(healedAt).strip()
            + " ms ("
            + status
            + ")");
    for (ClientOperation operation : sim.history()) {
      // An operation whose client lost its state was abandoned, not left outstanding.
      boolean abandoned = operation.clientId() != sim.clientId(operation.client());
      if (operation.isCompleted() || abandoned) continue;
      details.add(
          "outstanding: client "
              + operation.client()
              + " ("
              + operation.address()
              + ") "
              + scenario.workload().describeOp(operation.op())
              + ", invoked at "
              + Trace.formatTime(operation.invokedNanos()).strip()
              + " ms");
    }
    return violation(Violation.Property.LIVENESS, details);
  }
}
