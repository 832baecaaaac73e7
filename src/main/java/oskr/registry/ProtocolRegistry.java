package oskr.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oskr.protocol.Protocol;
import oskr.protocol.SimulationTarget;
import oskr.protocol.hotstuff.HotStuff;
import oskr.protocol.pbft.Pbft;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.vr.Vr;
import oskr.protocol.zyzzyva.Zyzzyva;

/**
 * The one list of protocols: by their {@code -m} names for {@code oskr replica|client|bench}, and
 * their simulation targets for {@code oskr simulate} and the DST suite. Adding a protocol is its
 * package plus one more entry in {@link #ALL}; everything else about it (fault model, simulation
 * options, Byzantine behaviours) the protocol declares itself. Lives above the protocol packages
 * because it names them all, which the protocol contract must not.
 */
public final class ProtocolRegistry {
  private ProtocolRegistry() {}

  private static final List<Protocol<?>> ALL =
      List.of(
          Unreplicated.PLAIN,
          Unreplicated.SIGNED,
          Pbft.INSTANCE,
          Vr.INSTANCE,
          Zyzzyva.INSTANCE,
          HotStuff.INSTANCE);

  private static final Map<String, Protocol<?>> BY_NAME = index(ALL);

  private static final Map<String, SimulationTarget<?>> TARGETS = targets(ALL);

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

  private static Map<String, SimulationTarget<?>> targets(List<Protocol<?>> protocols) {
    Map<String, SimulationTarget<?>> byName = new LinkedHashMap<>();
    for (Protocol<?> protocol : protocols) {
      if (protocol.simulationTargets().isEmpty()) {
        throw new IllegalStateException(protocol.name() + " declares no simulation target");
      }
      for (SimulationTarget<?> target : protocol.simulationTargets()) {
        if (target.protocol() != protocol) {
          throw new IllegalStateException(target.name() + " is not a target of " + protocol.name());
        }
        if (byName.put(target.name(), target) != null) {
          throw new IllegalStateException("two simulation targets named " + target.name());
        }
      }
    }
    return Collections.unmodifiableMap(byName);
  }

  /** Every registered protocol, in registration order. */
  public static List<Protocol<?>> all() {
    return ALL;
  }

  /** Every simulation target of every protocol, in registration order. */
  public static List<SimulationTarget<?>> simulationTargets() {
    return List.copyOf(TARGETS.values());
  }

  /** The names of {@link #simulationTargets()}, in registration order. */
  public static List<String> targetNames() {
    return List.copyOf(TARGETS.keySet());
  }

  public static Optional<SimulationTarget<?>> findTarget(String name) {
    return Optional.ofNullable(TARGETS.get(name));
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
                    "unknown protocol '"
                        + name
                        + "', expected one of: "
                        + String.join(", ", names())));
  }
}
