package oskr.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A child process for the cluster tests, standing in for {@code oskr bench}: makes a cluster with
 * one {@link SleepyServer}, prints its pid and folder, then waits to be stopped by a signal.
 */
final class ClusterHolder {
  private ClusterHolder() {}

  public static void main(String[] args) throws Exception {
    PrintWriter err = new PrintWriter(System.err, true);
    LocalCluster cluster = LocalCluster.create(err);
    ChildProcess sleepy =
        cluster.start("sleepy", JavaCommand.main(SleepyServer.class.getName(), List.of()));
    LocalCluster.awaitReady(sleepy, Instant.now().plus(BenchRun.READY_TIMEOUT));
    System.out.println("child " + sleepy.pid());
    System.out.println("dir " + cluster.directory());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
