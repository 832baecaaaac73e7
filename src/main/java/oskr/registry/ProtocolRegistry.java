package oskr.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oskr.protocol.Protocol;
import oskr.protocol.pbft.Pbft;
import oskr.protocol.unreplicated.Unreplicated;

/**
 * Every protocol by its {@code -m} name, for the command line and the simulator alike. Adding a
 * protocol is one more entry in {@link #ALL}. Lives above the protocol packages because it names
 * them all, which the protocol contract must not.
 */
public final class ProtocolRegistry {
  private ProtocolRegistry() {}

  private static final List<Protocol<?>> ALL = List.of(Unreplicated.PLAIN, Unreplicated.SIGNED, Pbft.INSTANCE);

  private static final Map<String, Protocol<?>> BY_NAME = index(ALL);

  private static Map<String, Protocol<?>> index(List<Protocol<?>> protocols) {
    Map<String, Protocol<?>> byName = new LinkedHashMap<>();
    List<Integer> ids = new ArrayList<>();
    for (Protocol<?> protocol : protocols) {
      if (byName.put(protocol.name(), protocol) != null) {
        throw new IllegalStateException("two protocols named " + protocol.name());
      }
      if (ids.contains(protocol.id())) {
        throw new IllegalStateException("two protocols with id " + protocol.id());
      }
      ids.add(protocol.id());
    }
    return Collections.unmodifiableMap(byName);
  }

  /** The registered names, in registration order. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  public static Optional<Protocol<?>> find(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /**
   * The protocol called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static Protocol<?> byName(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown protocol '" + name + "', expected one of: " + String.join(", ", names())));
  }
}
