package oskr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Process and file helpers for the tests that start real processes. */
final class Processes {
  private Processes() {}

  /**
   * Waits until process {@code pid} has exited, up to {@code timeout}. A zombie (exited, not yet
   * reaped by an init that may never reap it) counts as gone.
   */
  static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!running(pid)) return true;
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isPresent()) {
        try {
          handle.get().onExit().get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // Still there, or a zombie onExit never reports: poll /proc again.
        }
      }
    }
    return !running(pid);
  }

  /** Whether {@code pid} runs: exists and is not a zombie (Linux /proc, else the JDK's view). */
  static boolean running(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.isDirectory(Path.of("/proc", "self"))) {
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
    try {
      String text = Files.readString(stat);
      String state = text.substring(text.lastIndexOf(')') + 1).strip();
      return !state.startsWith("Z") && !state.startsWith("X");
    } catch (IOException e) {
      return false; // no /proc entry: the process is gone
    }
  }

  /** The pids of this JVM's live descendants that are not zombies. */
  static List<Long> runningDescendants() {
    return ProcessHandle.current()
        .descendants()
        .map(ProcessHandle::pid)
        .filter(Processes::running)
        .toList();
  }

  static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) return;
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
    }
  }
}
