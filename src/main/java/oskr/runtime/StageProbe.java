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
 * protocol thread and workers exactly as a replica has them.
 */
public final class StageProbe implements AutoCloseable {
  private final ProtocolThread stage;
  private final Worker[] workers;
  private int nextWorker; // protocol thread only

  private StageProbe(ProtocolThread stage, Worker[] workers) {
    this.stage = stage;
    this.workers = workers;
  }

  /** A stage whose workers have no key: for hand-offs only. */
  public static StageProbe start(Transport transport, Duration protocolSpin, int workerCount)
      throws IOException {
    return start(
        transport, protocolSpin, workerCount, Keyring.forClient(Scheme.ED25519, List.of()));
  }

  /** A stage whose workers sign with {@code keyring}'s own key. */
  public static StageProbe start(
      Transport transport, Duration protocolSpin, int workerCount, Keyring keyring)
      throws IOException {
    ProtocolThread stage = new ProtocolThread("probe-protocol", protocolSpin);
    Worker[] workers = new Worker[workerCount];
    for (int i = 0; i < workerCount; i++)
      workers[i] = new Worker(transport, "probe-w" + i, keyring);
    stage.start();
    return new StageProbe(stage, workers);
  }

  /** Queues an event for the protocol thread (the path of every received message). Any thread. */
  public void post(Runnable event) {
    stage.post(event);
  }

  /**
   * From the protocol thread: runs {@code work} on the next worker, then {@code done} back on the
   * protocol thread (the path of a signing job).
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
   * From the protocol thread: runs {@code job} with the next worker's crypto, then {@code done}
   * with its result back on the protocol thread (exactly what a replica's context does).
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

  /** CPU time used so far by the protocol thread and the workers, in ns. */
  public long cpuNanos() {
    List<Thread> threads = new java.util.ArrayList<>();
    threads.add(stage.thread());
    for (Worker worker : workers) threads.add(worker.loop.thread());
    return ProcessCpu.threadsCpuNanos(threads);
  }

  @Override
  public void close() {
    stage.close();
    for (Worker worker : workers) worker.close();
  }
}
