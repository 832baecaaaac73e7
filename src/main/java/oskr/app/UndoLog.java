package oskr.app;

import java.util.ArrayDeque;
import oskr.core.Bytes;

/**
 * How to undo a {@link KvStore}'s tentative executions: for each key a tentative operation changed,
 * the value it had before (or that it was absent), latest last. Grows with the tentative operations
 * and shrinks on commit; the speculative protocol bounds how many are pending.
 */
final class UndoLog {
  /** Key {@code key} held {@code previous} (null: absent) before operation {@code opNumber}. */
  record Change(long opNumber, Bytes key, Bytes previous) {}

  private final ArrayDeque<Change> changes = new ArrayDeque<>();

  /** The last committed operation: no rollback below it. */
  private long committed;

  /** The latest operation executed, tentatively or finally. */
  private long latest;

  /**
   * Checks that operation {@code opNumber} may run now.
   *
   * @param tentative whether it is a speculative execution
   * @throws IllegalStateException if op numbers go back, or a final execution follows tentative
   *     ones still pending (both are bugs of the calling protocol)
   */
  void begin(long opNumber, boolean tentative) {
    if (!tentative && latest > committed) {
      throw new IllegalStateException(
          "final execution of " + opNumber + " while " + latest + " is tentative");
    }
    if (tentative && opNumber <= latest) {
      throw new IllegalStateException("tentative op " + opNumber + " after " + latest);
    }
    latest = Math.max(latest, opNumber);
    if (!tentative) committed = latest;
  }

  void remember(long opNumber, Bytes key, Bytes previous) {
    changes.addLast(new Change(opNumber, key, previous));
  }

  /** Forgets how to undo operations up to {@code opNumber}. */
  void commit(long opNumber) {
    if (opNumber <= committed) return;
    committed = Math.min(opNumber, latest);
    while (!changes.isEmpty() && changes.peekFirst().opNumber() <= committed) changes.pollFirst();
  }

  /** The next change to undo for a rollback to {@code opNumber}, latest first; null when done. */
  Change undoAbove(long opNumber) {
    if (opNumber < committed) {
      throw new IllegalArgumentException(
          "rollback to " + opNumber + " below the committed " + committed);
    }
    latest = Math.min(latest, opNumber);
    if (changes.isEmpty() || changes.peekLast().opNumber() <= opNumber) return null;
    return changes.pollLast();
  }

  /** The state was replaced (state transfer): nothing tentative is left to undo. */
  void reset(long opNumber) {
    changes.clear();
    committed = opNumber;
    latest = opNumber;
  }

  int pending() {
    return changes.size();
  }
}
