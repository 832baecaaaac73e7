package oskr.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
import oskr.runtime.udp.Transport;

/**
 * The stage's hand-offs without a protocol or a socket, for {@code oskr.jmh.StageBenchmark}: a
 * stateful executor and workers exactly as a replica has them.
 */
public final class StageProbe implements AutoCloseable {
  private final StatefulExecutor stage;
  private final Worker[] workers;
  private int nextWorker; // stateful events only

  private StageProbe(StatefulExecutor stage, Worker[] workers) {
    this.stage = stage;
    this.workers = workers;
  }

  /** A protocol thread ({@link StageMode#THREAD}) and workers without a key. */
  public static StageProbe start(Transport transport, Duration protocolSpin, int workerCount)
      throws IOException {
    return start(StageMode.THREAD, transport, protocolSpin, workerCount);
  }

  /** A protocol thread ({@link StageMode#THREAD}) and workers that sign with {@code keyring}. */
  public static StageProbe start(
      Transport transport, Duration protocolSpin, int workerCount, Keyring keyring)
      throws IOException {
    return start(StageMode.THREAD, transport, protocolSpin, workerCount, keyring);
  }

  /** A stage whose workers have no key: for hand-offs only. */
  public static StageProbe start(
      StageMode mode, Transport transport, Duration protocolSpin, int workerCount)
      throws IOException {
    return start(
        mode, transport, protocolSpin, workerCount, Keyring.forClient(Scheme.ED25519, List.of()));
  }

  /** A stage whose workers sign with {@code keyring}'s own key. */
  public static StageProbe start(
      StageMode mode, Transport transport, Duration protocolSpin, int workerCount, Keyring keyring)
      throws IOException {
    Worker[] workers = new Worker[workerCount];
    for (int i = 0; i < workerCount; i++)
      workers[i] = new Worker(transport, "probe-w" + i, keyring);
    StatefulExecutor stage = StatefulExecutor.create(mode, "probe", protocolSpin, workers);
    stage.start();
    return new StageProbe(stage, workers);
  }

  /** Posts an event to the stateful executor (the path of every received message). Any thread. */
  public void post(Runnable event) {
    stage.post(event);
  }

  /**
   * From a stateful event: runs {@code work} on the next worker, then {@code done} back as a
   * stateful event (the path of a signing job).
   */
  public void submit(Runnable work, Runnable done) {
    Worker worker = workers[nextWorker];
    nextWorker = (nextWorker + 1) % workers.length;
    worker.loop.execute(
        () -> {
          work.run();
          stage.post(done);
        });
  }

  /**
   * From a stateful event: runs {@code job} with the next worker's crypto, then {@code done} with
   * its result back as a stateful event (exactly what a replica's context does).
   */
  public <R> void submit(Job<R> job, JobDone<R> done) {
    Worker worker = workers[nextWorker];
    nextWorker = (nextWorker + 1) % workers.length;
    worker.loop.execute(
        () -> {
          R result = job.run(worker.crypto());
          stage.post(() -> done.onJobDone(result));
        });
  }

  /** CPU time used so far by the stage's threads and the workers, in ns. */
  public long cpuNanos() {
    List<Thread> threads = new java.util.ArrayList<>(stage.threads());
    for (Worker worker : workers) threads.add(worker.loop.thread());
    return ProcessCpu.threadsCpuNanos(threads);
  }

  @Override
  public void close() {
    stage.close();
    for (Worker worker : workers) worker.close();
  }
}
