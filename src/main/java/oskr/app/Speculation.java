package oskr.app;

import java.util.Optional;
import oskr.core.Bytes;

/**
 * Speculative execution with rollback for any {@link Table}, as {@link oskr.core.App} specifies it:
 * a tentative op's writes go to the table at once, and the value each key had before goes to an
 * undo log in memory, kept until the op commits. A rollback writes the old values back, latest
 * first. A store owns one and routes its execute, commit and rollback calls here.
 */
public final class Speculation {
  private final UndoLog undo = new UndoLog();

  /** Executes {@code op} finally. */
  public Bytes execute(long opNumber, Bytes op, Table table) {
    undo.begin(opNumber, false);
    return KvExecution.execute(op, table);
  }

  /** Executes {@code op} tentatively, remembering how to undo it. */
  public Bytes executeSpeculatively(long opNumber, Bytes op, Table table) {
    if (opNumber <= 0) throw new IllegalArgumentException("op number " + opNumber);
    undo.begin(opNumber, true);
    return KvExecution.execute(op, new Recording(table, opNumber));
  }

  public void commit(long opNumber) {
    undo.commit(opNumber);
  }

  /** Undoes the tentative ops above {@code opNumber} on {@code table}. */
  public void rollback(long opNumber, Table table) {
    for (UndoLog.Change change = undo.undoAbove(opNumber);
        change != null;
        change = undo.undoAbove(opNumber)) {
      if (change.previous() == null) {
        table.remove(change.key());
      } else {
        // Every state on the way back existed before, so it fits the capacity.
        boolean restored = table.put(change.key(), change.previous());
        assert restored : "a rollback exceeded the capacity";
      }
    }
  }

  /** The state was replaced (state transfer): nothing tentative is left to undo. */
  public void reset() {
    undo.reset(0);
  }

  /** Tentative changes not yet committed. */
  public int pending() {
    return undo.pending();
  }

  /** A table that logs the previous value of every key a tentative op writes. */
  private final class Recording implements Table {
    private final Table table;
    private final long opNumber;

    Recording(Table table, long opNumber) {
      this.table = table;
      this.opNumber = opNumber;
    }

    @Override
    public Optional<Bytes> get(Bytes key) {
      return table.get(key);
    }

    @Override
    public boolean put(Bytes key, Bytes value) {
      Optional<Bytes> previous = table.get(key);
      if (!table.put(key, value)) return false;
      undo.remember(opNumber, key, previous.orElse(null));
      return true;
    }

    @Override
    public Optional<Bytes> remove(Bytes key) {
      Optional<Bytes> previous = table.remove(key);
      previous.ifPresent(value -> undo.remember(opNumber, key, value));
      return previous;
    }

    @Override
    public void scan(Bytes from, Bytes to, Visitor visitor) {
      table.scan(from, to, visitor);
    }
  }
}
