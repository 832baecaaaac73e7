package oskr.sim;

import java.util.ArrayDeque;
import java.util.List;
import oskr.core.App;
import oskr.core.Bytes;

/**
 * Wraps a replica's app and records every final execution, for the exactly-once and agreement
 * checks: those check what the protocol says is committed. A tentative execution (speculative
 * protocols) is held back until the protocol commits it, and forgotten if it rolls it back.
 */
final class RecordingApp implements App {
  private final App app;
  private final int replica;
  private final int incarnation;
  private final Scheduler scheduler;
  private final List<Execution> executions;
  private final List<Execution> speculative;

  /** Tentative executions, oldest first, until committed or rolled back. */
  private final ArrayDeque<Execution> tentative = new ArrayDeque<>();

  private long rolledBack;

  /**
   * @param executions where executions are appended, shared by all replicas in time order
   */
  RecordingApp(
      App app, int replica, int incarnation, Scheduler scheduler, List<Execution> executions) {
    this(app, replica, incarnation, scheduler, executions, new java.util.ArrayList<>());
  }

  /**
   * @param speculative where every tentative execution is appended when it happens, committed or
   *     not later, shared by all replicas in time order
   */
  RecordingApp(
      App app,
      int replica,
      int incarnation,
      Scheduler scheduler,
      List<Execution> executions,
      List<Execution> speculative) {
    this.speculative = speculative;
    this.app = app;
    this.replica = replica;
    this.incarnation = incarnation;
    this.scheduler = scheduler;
    this.executions = executions;
  }

  @Override
  public Bytes execute(long opNumber, Bytes op) {
    Bytes result = app.execute(opNumber, op);
    executions.add(new Execution(replica, incarnation, opNumber, op, result, scheduler.now()));
    return result;
  }

  @Override
  public boolean supportsRollback() {
    return app.supportsRollback();
  }

  @Override
  public Bytes executeSpeculatively(long opNumber, Bytes op) {
    Bytes result = app.executeSpeculatively(opNumber, op);
    Execution execution =
        new Execution(replica, incarnation, opNumber, op, result, scheduler.now());
    tentative.addLast(execution);
    speculative.add(execution);
    return result;
  }

  @Override
  public void commit(long opNumber) {
    app.commit(opNumber);
    while (!tentative.isEmpty() && tentative.peekFirst().opNumber() <= opNumber) {
      executions.add(tentative.pollFirst());
    }
  }

  @Override
  public void rollback(long opNumber) {
    app.rollback(opNumber);
    while (!tentative.isEmpty() && tentative.peekLast().opNumber() > opNumber) {
      tentative.pollLast();
      rolledBack++;
    }
  }

  /** Tentative executions undone so far. */
  long rolledBack() {
    return rolledBack;
  }

  /** Tentative executions neither committed nor rolled back yet. */
  int tentativeCount() {
    return tentative.size();
  }

  @Override
  public Snapshot snapshot() {
    return app.snapshot();
  }

  @Override
  public SnapshotSink snapshotSink() {
    SnapshotSink sink = app.snapshotSink();
    return new SnapshotSink() {
      @Override
      public void accept(Bytes bytes) {
        sink.accept(bytes);
      }

      @Override
      public void commit() {
        sink.commit();
        tentative.clear(); // the state was replaced: nothing tentative is left
      }

      @Override
      public void abort() {
        sink.abort();
      }
    };
  }
}
