package oskr.sim;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import oskr.protocol.Protocol;
import oskr.protocol.unreplicated.Unreplicated;

/** The protocols the simulator can run, by their {@code -m} name. The one place to add one. */
public final class ProtocolRegistry {
  private static final SortedMap<String, Protocol<?>> BY_NAME =
      byName(Unreplicated.PLAIN, Unreplicated.SIGNED);

  private ProtocolRegistry() {}

  private static SortedMap<String, Protocol<?>> byName(Protocol<?>... protocols) {
    TreeMap<String, Protocol<?>> map = new TreeMap<>();
    for (Protocol<?> protocol : protocols) map.put(protocol.name(), protocol);
    return Collections.unmodifiableSortedMap(map);
  }

  public static Optional<Protocol<?>> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** Every name, sorted. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }
}
