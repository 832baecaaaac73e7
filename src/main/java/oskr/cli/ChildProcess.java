package oskr.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose stdout is read line by line on a daemon thread (so the child never blocks
 * on a full pipe) and can be awaited with a deadline; its stderr goes to ours.
 */
final class ChildProcess {
  /** Lines kept until someone awaits them; past this, further lines are dropped. */
  private static final int LINES_MAX = 1000;

  /** Stands for the end of stdout in the queue; compared by identity. */
  private static final String END = new String("end of stdout");

  private final String name;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private boolean ended; // read and written only by the thread awaiting lines

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  static ChildProcess start(String name, List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process.getOutputStream().close(); // children read no input
    ChildProcess child = new ChildProcess(name, process);
    Thread.ofPlatform().daemon().name("oskr-" + name + "-stdout").start(child::readLines);
    return child;
  }

  private void readLines() {
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (lines.size() < LINES_MAX) lines.add(line);
      }
    } catch (IOException e) {
      // The pipe closed under us: the child is gone, which END tells the waiter.
    } finally {
      lines.add(END);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** Whether an {@link #awaitLine} saw the end of stdout: the child exited or is exiting. */
  boolean stdoutEnded() {
    return ended;
  }

  boolean alive() {
    return process.isAlive();
  }

  /**
   * The first stdout line matching {@code wanted}, skipping others; empty if stdout ended (the
   * child exited) or the deadline passed first.
   */
  Optional<String> awaitLine(Predicate<String> wanted, Instant deadline)
      throws InterruptedException {
    while (!ended) {
      long waitMillis = Duration.between(Instant.now(), deadline).toMillis();
      if (waitMillis <= 0) return Optional.empty();
      String line = lines.poll(waitMillis, TimeUnit.MILLISECONDS);
      if (line == null) return Optional.empty();
      if (line == END) {
        ended = true;
      } else if (wanted.test(line)) {
        return Optional.of(line);
      }
    }
    return Optional.empty();
  }

  /** Waits up to {@code timeout} for the child to exit; its exit code if it did. */
  Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) return Optional.empty();
    return Optional.of(process.exitValue());
  }

  /** CPU time the child has used so far, if the OS tells. */
  Optional<Duration> cpuTime() {
    return process.info().totalCpuDuration();
  }

  /** Asks the child to stop (SIGTERM: its shutdown hooks run). */
  void requestStop() {
    process.destroy();
  }

  /** Kills the child (SIGKILL). */
  void kill() {
    process.destroyForcibly();
  }
}
