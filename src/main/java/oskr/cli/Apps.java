package oskr.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oskr.app.DurableStore;
import oskr.app.KvStore;
import oskr.app.NullApp;
import oskr.app.StoreOpenException;
import oskr.app.rocksdb.RocksStore;
import oskr.app.sqlite.SqliteStore;
import oskr.core.App;
import oskr.core.ConfigException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The names {@code -a/--app} accepts. A new app is one more entry in {@link #BY_NAME}; a durable
 * store takes its path from {@code --db}.
 */
final class Apps {
  private Apps() {}

  /** Makes an app: from nothing, or from the {@code --db} path of a durable store. */
  private interface Factory {
    App create(Optional<Path> db) throws StoreOpenException;

    /** Whether the app keeps its state in {@code --db PATH}. */
    boolean durable();
  }

  private record InMemory(java.util.function.Supplier<App> make) implements Factory {
    @Override
    public App create(Optional<Path> db) {
      return make.get();
    }

    @Override
    public boolean durable() {
      return false;
    }
  }

  private record OnDisk(Opener open) implements Factory {
    @Override
    public App create(Optional<Path> db) throws StoreOpenException {
      return open.open(db.orElseThrow(), DurableStore.STATE_BYTES_MAX);
    }

    @Override
    public boolean durable() {
      return true;
    }
  }

  @FunctionalInterface
  private interface Opener {
    DurableStore open(Path path, long stateBytesMax) throws StoreOpenException;
  }

  private static final Map<String, Factory> BY_NAME = byName();

  private static Map<String, Factory> byName() {
    Map<String, Factory> apps = new LinkedHashMap<>();
    apps.put("null", new InMemory(NullApp::new));
    apps.put("kv", new InMemory(KvStore::new));
    apps.put("sqlite", new OnDisk(SqliteStore::open));
    apps.put("rocksdb", new OnDisk(RocksStore::open));
    return apps;
  }

  static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** A name checked by {@link Converter}, so the replica can make its app after parsing. */
  record Choice(String name) {
    /** Whether this app stores its state in {@code --db PATH} (and needs it). */
    boolean durable() {
      return BY_NAME.get(name).durable();
    }

    /**
     * Makes the app.
     *
     * @throws ConfigException in one line if a durable store cannot open {@code db}
     */
    App create(Optional<Path> db) throws ConfigException {
      try {
        return BY_NAME.get(name).create(db);
      } catch (StoreOpenException e) {
        throw new ConfigException(e.getMessage());
      }
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
