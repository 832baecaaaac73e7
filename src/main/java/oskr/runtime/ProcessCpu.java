package oskr.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time of this process and of given threads, for benchmark reports. Cheap to call. */
public final class ProcessCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ProcessCpu() {}

  /** CPU time (user + system) used by this whole process so far, in ns; -1 if unavailable. */
  public static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  /** CPU time used so far by the live threads among {@code threads}, in ns. */
  static long threadsCpuNanos(Iterable<Thread> threads) {
    long total = 0;
    for (Thread thread : threads) {
      long nanos = thread.isAlive() ? THREADS.getThreadCpuTime(thread.threadId()) : -1;
      if (nanos > 0) total += nanos;
    }
    return total;
  }
}
