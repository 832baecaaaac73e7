package oskr.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** CPU time used by this process, for the client's CPU share next to the replicas'. */
public final class ProcessCpu {
  private ProcessCpu() {}

  /** CPU time of all this process's threads in nanoseconds, or -1 where the JVM cannot tell. */
  public static long nanos() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
      return hotspot.getProcessCpuTime();
    }
    return -1;
  }

  /**
   * CPU use in percent of one core between two {@link #nanos()} readings {@code wallNanos} apart;
   * NaN if either reading is unknown.
   */
  public static double percent(long cpuBefore, long cpuAfter, long wallNanos) {
    if (cpuBefore < 0 || cpuAfter < 0 || wallNanos <= 0) return Double.NaN;
    return 100.0 * (cpuAfter - cpuBefore) / wallNanos;
  }
}
