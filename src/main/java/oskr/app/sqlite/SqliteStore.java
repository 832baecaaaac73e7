package oskr.app.sqlite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.app.DurableStore;
import oskr.app.StoreOpenException;
import oskr.app.StreamedSnapshot;
import oskr.app.Table;
import oskr.core.Bytes;

/**
 * The replicated store on SQLite (the engine the original measured YCSB on), through org.xerial's
 * sqlite-jdbc: one file, a table {@code kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID} (SQLite
 * orders BLOBs by memcmp, then length: the unsigned lexicographic order of the other stores) and a
 * table {@code meta} with the record count, the state bytes and the last op that wrote.
 *
 * <p>WAL journal with {@code synchronous=NORMAL}: a commit survives the process crashing (the
 * replica killed), not the machine losing power, and costs no fsync; the protocols tolerate f
 * replicas losing their state, which a power loss is. A snapshot is a read transaction on a
 * connection of its own: WAL readers see the database as of their first read while the writer goes
 * on. An install stages the entries in a table {@code staging} and swaps them in with one
 * transaction.
 */
public final class SqliteStore extends DurableStore {
  private static final String FORMAT = "oskr-kv-sqlite 1";

  private final String url;
  private final Connection connection;
  private final PreparedStatement select;
  private final PreparedStatement upsert;
  private final PreparedStatement delete;
  private final PreparedStatement setMeta;
  private final List<Connection> readers = new ArrayList<>();
  private boolean inTransaction;

  private SqliteStore(Path file, long stateBytesMax) throws SQLException {
    super(stateBytesMax);
    this.url = "jdbc:sqlite:" + file;
    this.connection = DriverManager.getConnection(url);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=NORMAL");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
      statement.execute(
          "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID");
      // A staging table left by an install the crash interrupted: never swapped in, so dropped.
      statement.execute("DROP TABLE IF EXISTS staging");
    }
    this.select = connection.prepareStatement("SELECT v FROM kv WHERE k = ?");
    this.upsert = connection.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)");
    this.delete = connection.prepareStatement("DELETE FROM kv WHERE k = ?");
    this.setMeta = connection.prepareStatement("INSERT OR REPLACE INTO meta VALUES (?, ?)");
    checkFormat();
    recovered(meta("count"), meta("state_bytes"), meta("applied"));
  }

  /**
   * Opens (or creates) the store in {@code file}.
   *
   * @throws StoreOpenException in one line if the file cannot be opened or is not such a store
   */
  public static SqliteStore open(Path file, long stateBytesMax) throws StoreOpenException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new StoreOpenException(file + ": no such directory " + parent);
    }
    if (Files.isDirectory(file)) throw new StoreOpenException(file + ": is a directory");
    try {
      return new SqliteStore(file, stateBytesMax);
    } catch (SQLException e) {
      throw new StoreOpenException(file + ": cannot open as a SQLite store: " + oneLine(e));
    }
  }

  private static String oneLine(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  private void checkFormat() throws SQLException {
    try (PreparedStatement get =
        connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      get.setString(1, "format");
      try (ResultSet row = get.executeQuery()) {
        if (row.next()) {
          if (!FORMAT.equals(row.getString(1))) throw new SQLException("not an oskr KV store");
          return;
        }
      }
    }
    try (Statement count = connection.createStatement();
        ResultSet rows = count.executeQuery("SELECT count(*) FROM kv")) {
      if (rows.next() && rows.getLong(1) > 0) throw new SQLException("not an oskr KV store");
    }
    setMeta.setString(1, "format");
    setMeta.setString(2, FORMAT);
    setMeta.executeUpdate();
  }

  private long meta(String name) throws SQLException {
    try (PreparedStatement get =
        connection.prepareStatement("SELECT value FROM meta WHERE name = ?")) {
      get.setString(1, name);
      try (ResultSet row = get.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  private static IllegalStateException failed(SQLException e) {
    return new IllegalStateException("the SQLite store failed: " + oneLine(e), e);
  }

  private void beginWrite() throws SQLException {
    if (inTransaction) return;
    connection.setAutoCommit(false);
    inTransaction = true;
  }

  @Override
  protected Optional<Bytes> load(Bytes key) {
    try {
      select.setBytes(1, key.unsafeArray());
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(Bytes.adopt(row.getBytes(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  protected void store(Bytes key, Bytes value) {
    try {
      beginWrite();
      upsert.setBytes(1, key.unsafeArray());
      upsert.setBytes(2, value.unsafeArray());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  protected void erase(Bytes key) {
    try {
      beginWrite();
      delete.setBytes(1, key.unsafeArray());
      delete.executeUpdate();
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  protected void scan(Bytes from, Bytes to, Table.Visitor visitor) {
    String sql =
        to.length() == 0
            ? "SELECT k, v FROM kv WHERE k >= ? ORDER BY k"
            : "SELECT k, v FROM kv WHERE k >= ? AND k < ? ORDER BY k";
    try (PreparedStatement range = connection.prepareStatement(sql)) {
      range.setBytes(1, from.unsafeArray());
      if (to.length() > 0) range.setBytes(2, to.unsafeArray());
      try (ResultSet rows = range.executeQuery()) {
        while (rows.next()) {
          if (!visitor.visit(Bytes.adopt(rows.getBytes(1)), Bytes.adopt(rows.getBytes(2)))) return;
        }
      }
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  @Override
  protected void commitOp(long applied, long count, long stateBytes) {
    try {
      beginWrite();
      putMeta("applied", applied);
      putMeta("count", count);
      putMeta("state_bytes", stateBytes);
      connection.commit();
      connection.setAutoCommit(true);
      inTransaction = false;
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private void putMeta(String name, long value) throws SQLException {
    setMeta.setString(1, name);
    setMeta.setLong(2, value);
    setMeta.executeUpdate();
  }

  /** A read transaction on a connection of its own, frozen at its first read. */
  @Override
  protected StreamedSnapshot.Source freeze() {
    try {
      Connection reader = DriverManager.getConnection(url);
      reader.setAutoCommit(false);
      try (Statement statement = reader.createStatement();
          ResultSet first = statement.executeQuery("SELECT count(*) FROM meta")) {
        first.next(); // the first read starts the transaction's snapshot
      }
      synchronized (readers) {
        readers.add(reader);
      }
      return new ReaderSource(reader);
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private final class ReaderSource implements StreamedSnapshot.Source {
    private final Connection reader;
    private boolean released;

    ReaderSource(Connection reader) {
      this.reader = reader;
    }

    @Override
    public StreamedSnapshot.Cursor from(Bytes from) {
      try {
        PreparedStatement range =
            reader.prepareStatement("SELECT k, v FROM kv WHERE k >= ? ORDER BY k");
        range.setBytes(1, from.unsafeArray());
        return new RowCursor(range, range.executeQuery());
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public void release() {
      synchronized (readers) {
        if (released) return;
        released = true;
        readers.remove(reader);
      }
      try {
        reader.rollback();
        reader.close();
      } catch (SQLException e) {
        // Releasing a read transaction: nothing was written, and the connection is gone anyway.
      }
    }
  }

  private record RowCursor(PreparedStatement statement, ResultSet rows)
      implements StreamedSnapshot.Cursor {
    @Override
    public boolean next() {
      try {
        return rows.next();
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public Bytes key() {
      try {
        return Bytes.adopt(rows.getBytes(1));
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public Bytes value() {
      try {
        return Bytes.adopt(rows.getBytes(2));
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public void close() {
      try {
        rows.close();
        statement.close();
      } catch (SQLException e) {
        // Closing a read cursor: nothing to undo.
      }
    }
  }

  @Override
  protected Staging stage() {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS staging");
      statement.execute("CREATE TABLE staging (k BLOB PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID");
      return new TableStaging(
          connection.prepareStatement("INSERT INTO staging (k, v) VALUES (?, ?)"));
    } catch (SQLException e) {
      throw failed(e);
    }
  }

  private final class TableStaging implements Staging {
    private final PreparedStatement insert;

    TableStaging(PreparedStatement insert) {
      this.insert = insert;
    }

    @Override
    public void put(Bytes key, Bytes value) {
      try {
        insert.setBytes(1, key.unsafeArray());
        insert.setBytes(2, value.unsafeArray());
        insert.executeUpdate();
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public void commit(long count, long stateBytes) {
      try (Statement statement = connection.createStatement()) {
        insert.close();
        beginWrite();
        statement.execute("DELETE FROM kv");
        statement.execute("INSERT INTO kv SELECT k, v FROM staging ORDER BY k");
        statement.execute("DROP TABLE staging");
        commitOp(0, count, stateBytes);
      } catch (SQLException e) {
        throw failed(e);
      }
    }

    @Override
    public void abort() {
      try (Statement statement = connection.createStatement()) {
        insert.close();
        statement.execute("DROP TABLE IF EXISTS staging");
      } catch (SQLException e) {
        throw failed(e);
      }
    }
  }

  /** Closes the store and every snapshot still open on it. */
  @Override
  public void close() {
    List<Connection> open;
    synchronized (readers) {
      open = new ArrayList<>(readers);
      readers.clear();
    }
    try {
      for (Connection reader : open) reader.close();
      connection.close();
    } catch (SQLException e) {
      throw failed(e);
    }
  }
}
