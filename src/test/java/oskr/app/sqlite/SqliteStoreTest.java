package oskr.app.sqlite;

import java.nio.file.Path;
import oskr.app.DurableStore;
import oskr.app.DurableStoreContract;
import oskr.app.StoreOpenException;

/** The durable store contract on SQLite. */
class SqliteStoreTest extends DurableStoreContract {
  @Override
  protected DurableStore open(Path path) throws StoreOpenException {
    return SqliteStore.open(path, DurableStore.STATE_BYTES_MAX);
  }

  @Override
  protected Path path(String name) {
    return directory.resolve(name + ".sqlite");
  }
}
