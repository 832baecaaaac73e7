package oskr.cli;

/**
 * Makes a child process of {@code oskr bench} exit when its parent does, also when the parent was
 * killed with SIGKILL and had no chance to stop it: no replica is left behind.
 */
final class ParentWatch {
  private ParentWatch() {}

  /** Exits this JVM (running its shutdown hooks) once the parent process has ended. */
  static void exitWithParent() {
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(Oskr.EXIT_FAILED)));
  }
}
