package oskr.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process inside a test host's namespace ({@code ip netns exec} execs the command, so the pid is
 * the command's): stdout is read on a daemon thread for awaited lines, stderr goes to a log file.
 */
final class HostProcess {
  private static final String END = new String("end");

  private final String name;
  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stdout = new StringBuffer();

  private HostProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static HostProcess start(String name, List<String> command, Path log) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    process.getOutputStream().close();
    HostProcess child = new HostProcess(name, process, log);
    Thread.ofPlatform().daemon().name("test-" + name).start(child::read);
    return child;
  }

  private void read() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        stdout.append(line).append('\n');
        lines.add(line);
      }
    } catch (IOException e) {
      // The process is gone; END tells the waiter.
    } finally {
      lines.add(END);
    }
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** Everything it printed on stdout so far. */
  String stdout() {
    return stdout.toString();
  }

  /** Waits for a stdout line matching {@code wanted}; fails with the log if it never comes. */
  String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.MILLISECONDS);
      if (line == null || line == END) {
        throw new AssertionError(
            name
                + (line == END ? " exited" : " timed out")
                + " before the awaited line; stderr in "
                + log);
      }
      if (wanted.test(line)) return line;
    }
  }

  /** The exit code, waiting up to {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit in " + timeout + "; stderr in " + log);
    }
    return process.exitValue();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as Ctrl-C: the process's shutdown hooks run. */
  void terminate() {
    process.destroy();
  }

  /** SIGKILL, and wait until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
