package oskr.runtime;

import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;

/** Bounded waits for real-network tests: poll a condition until it holds or time runs out. */
final class Waits {
  private Waits() {}

  static void until(BooleanSupplier condition, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionFailedError("condition not met within " + seconds + " s");
      }
      Thread.sleep(10); // polling interval of a bounded wait, not a timing assumption
    }
  }
}
