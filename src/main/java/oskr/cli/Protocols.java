package oskr.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oskr.protocol.Protocol;
import oskr.protocol.unreplicated.Unreplicated;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The names {@code -m} accepts. A new protocol is one more entry in {@link #ALL}. */
public final class Protocols {
  private Protocols() {}

  private static final List<Protocol<?>> ALL = List.of(Unreplicated.PLAIN, Unreplicated.SIGNED);

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

  /**
   * The protocol called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static Protocol<?> byName(String name) {
    Protocol<?> protocol = BY_NAME.get(name);
    if (protocol == null) {
      throw new IllegalArgumentException(
          "unknown protocol '" + name + "', expected one of: " + String.join(", ", names()));
    }
    return protocol;
  }

  /** Turns {@code -m NAME} into the protocol, with the list of names on a typo. */
  static final class Converter implements ITypeConverter<Protocol<?>> {
    @Override
    public Protocol<?> convert(String value) {
      try {
        return byName(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** The names, for {@code ${COMPLETION-CANDIDATES}} in the help text. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
