package oskr.cli;

import java.util.Iterator;
import java.util.List;
import oskr.protocol.Protocol;
import oskr.registry.ProtocolRegistry;
import picocli.CommandLine.ITypeConverter;

/** {@code -m NAME} for picocli: the names of {@link ProtocolRegistry}. */
public final class Protocols {
  private Protocols() {}

  /** The registered names, in registration order. */
  public static List<String> names() {
    return ProtocolRegistry.names();
  }

  /**
   * The protocol called {@code name}.
   *
   * @throws IllegalArgumentException listing the known names
   */
  public static Protocol<?> byName(String name) {
    return ProtocolRegistry.byName(name);
  }

  /** Turns {@code -m NAME} into the protocol, with the list of names on a typo. */
  static final class Converter implements ITypeConverter<Protocol<?>> {
    @Override
    public Protocol<?> convert(String value) {
      return CommonOptions.parse(Protocols::byName, value);
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
