package oskr.runtime.udp;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts dropped datagrams and messages by reason, from any thread (transport loops and workers
 * count at once). The protocol's own {@link oskr.protocol.Drops} stay single-threaded.
 */
public final class DropCounters {
  private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

  public void count(String reason) {
    count(reason, 1);
  }

  /** Counts {@code dropped} of one reason at once (the datagrams of a refused batch). */
  public void count(String reason, long dropped) {
    if (dropped <= 0) return;
    LongAdder adder = counts.get(reason);
    if (adder == null) adder = counts.computeIfAbsent(reason, unused -> new LongAdder());
    adder.add(dropped);
  }

  public long get(String reason) {
    LongAdder adder = counts.get(reason);
    return adder == null ? 0 : adder.sum();
  }

  public long total() {
    long total = 0;
    for (LongAdder adder : counts.values()) total += adder.sum();
    return total;
  }

  /** A sorted copy, for reports. */
  public Map<String, Long> snapshot() {
    TreeMap<String, Long> copy = new TreeMap<>();
    counts.forEach((reason, adder) -> copy.put(reason, adder.sum()));
    return copy;
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
