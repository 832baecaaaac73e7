package oskr.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts dropped messages by reason. Peer input being wrong is normal in BFT: it is dropped and
 * counted, never thrown. Single-threaded, like the node that owns it; sorted for stable output.
 */
public final class Drops {
  private final TreeMap<String, Long> counts = new TreeMap<>();

  public void count(String reason) {
    counts.merge(reason, 1L, Long::sum);
  }

  public long get(String reason) {
    return counts.getOrDefault(reason, 0L);
  }

  public long total() {
    long total = 0;
    for (long count : counts.values()) total += count;
    return total;
  }

  public Map<String, Long> snapshot() {
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }

  @Override
  public String toString() {
    return counts.toString();
  }
}
