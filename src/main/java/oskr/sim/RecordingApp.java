package oskr.sim;

import java.util.List;
import oskr.core.App;
import oskr.core.Bytes;

/** Wraps a replica's app and records every execution, for the exactly-once and agreement checks. */
final class RecordingApp implements App {
  private final App app;
  private final int replica;
  private final int incarnation;
  private final Scheduler scheduler;
  private final List<Execution> executions;

  /**
   * @param executions where executions are appended, shared by all replicas in time order
   */
  RecordingApp(
      App app, int replica, int incarnation, Scheduler scheduler, List<Execution> executions) {
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
  public Snapshot snapshot() {
    return app.snapshot();
  }

  @Override
  public SnapshotSink snapshotSink() {
    return app.snapshotSink();
  }
}
