package oskr.protocol.hotstuff;

/**
 * Always-on checks of our own state (style.md §5): a failure is a bug or a run outside the fault
 * model, so the replica stops rather than serve a wrong state.
 */
final class Invariants {
  private Invariants() {}

  static void check(boolean condition, String message) {
    if (!condition) throw new IllegalStateException("invariant violated: " + message);
  }
}
