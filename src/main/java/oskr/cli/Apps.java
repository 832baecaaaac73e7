package oskr.cli;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import oskr.app.KvStore;
import oskr.app.NullApp;
import oskr.core.App;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The names {@code -a/--app} accepts. A new app is one more entry in {@link #BY_NAME}. */
final class Apps {
  private Apps() {}

  private static final Map<String, Supplier<App>> BY_NAME = byName();

  private static Map<String, Supplier<App>> byName() {
    Map<String, Supplier<App>> apps = new LinkedHashMap<>();
    apps.put("null", NullApp::new);
    apps.put("kv", KvStore::new);
    return apps;
  }

  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** A name checked by {@link Converter}, so the replica can make its app after parsing. */
  record Choice(String name) {
    App create() {
      return BY_NAME.get(name).get();
    }
  }

  static final class Converter implements ITypeConverter<Choice> {
    @Override
    public Choice convert(String value) {
      if (!BY_NAME.containsKey(value)) {
        throw new TypeConversionException(
            "unknown app '" + value + "', expected one of: " + String.join(", ", names()));
      }
      return new Choice(value);
    }
  }

  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
