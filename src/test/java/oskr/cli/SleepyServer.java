package oskr.cli;

import java.util.concurrent.CountDownLatch;
import oskr.core.Address;

/**
 * A child process for the cluster tests, standing in for a replica: prints a ready line and waits
 * to be stopped, or with {@code fail} exits with code 3 before it is ready.
 */
final class SleepyServer {
  private SleepyServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("fail")) System.exit(3);
    ParentWatch.exitWithParent();
    System.out.println(Ready.line("sleepy", new Address("127.0.0.1", 1), "test"));
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
