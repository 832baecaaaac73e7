package oskr.core.crypto;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * Runs the openssl command line from tests, to prove key files and signatures interoperate with
 * the tool the seed uses. Where openssl is not on the PATH, tests that need it skip with one
 * printed line, except under CI, where they fail: the build installs nothing, and a CI run must
 * not pass without checking interoperability.
 */
final class OpenSsl {
  private OpenSsl() {}

  private static final long TIMEOUT_SECONDS = 30;

  /** The result of one command or pipeline: its exit code, stdout bytes and stderr text. */
  record Result(int exitCode, byte[] stdout, String stderr) {
    String stdoutText() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** The one line a skip prints (once per test JVM), and the reason JUnit records. */
  static final String SKIP_MESSAGE =
      "SKIPPED: openssl is not on the PATH: interoperability with openssl not checked";

  private static final AtomicBoolean skipPrinted = new AtomicBoolean();

  /**
   * Skips the calling test unless an openssl executable is on the PATH, printing why once; under
   * CI (the environment variable CI set, as .ci/run does) fails it instead.
   */
  static void assumeAvailable() {
    Optional<String> missing = missing(System.getenv("PATH"), System.getenv("CI"));
    if (missing.isEmpty()) return;
    if (skipPrinted.compareAndSet(false, true)) System.err.println(missing.get());
    Assumptions.abort(missing.get());
  }

  /**
   * Why the openssl tests cannot run with this {@code path}, or empty if they can.
   *
   * @param ci the value of the environment variable CI, or null
   * @throws AssertionFailedError if openssl is missing under CI: the build installs nothing, so a
   *     CI machine without openssl would otherwise pass without checking interoperability
   */
  static Optional<String> missing(String path, String ci) {
    if (onPath(path)) return Optional.empty();
    if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
      throw new AssertionFailedError(
          "openssl is not on the PATH and CI="
              + ci
              + " is set: CI must check interoperability with openssl; install it on this"
              + " machine (package openssl), or unset CI to skip these tests");
    }
    return Optional.of(SKIP_MESSAGE);
  }

  private static boolean onPath(String path) {
    if (path == null) return false;
    for (String directory : path.split(File.pathSeparator)) {
      if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, "openssl"))) return true;
    }
    return false;
  }

  /**
   * Runs {@code commands} as a pipeline (each command's stdout into the next one's stdin) in
   * {@code directory}, and waits for it with a timeout.
   */
  @SafeVarargs
  static Result pipeline(Path directory, List<String>... commands) {
    Path stderr = directory.resolve("openssl-stderr.txt");
    List<ProcessBuilder> builders = new ArrayList<>();
    for (List<String> command : commands) {
      builders.add(
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())));
    }
    try {
      Files.deleteIfExists(stderr);
      List<Process> processes = ProcessBuilder.startPipeline(builders);
      processes.getFirst().getOutputStream().close(); // nothing to read on stdin
      Process last = processes.getLast();
      byte[] stdout = last.getInputStream().readAllBytes();
      for (Process process : processes) {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          processes.forEach(Process::destroyForcibly);
          throw new AssertionError("openssl did not finish in " + TIMEOUT_SECONDS + " s");
        }
      }
      return new Result(last.exitValue(), stdout, Files.readString(stderr));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for openssl", e);
    }
  }

  /** Runs one openssl command; fails the test with its stderr unless it exits with 0. */
  static Result run(Path directory, String... arguments) {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Result result = pipeline(directory, command);
    if (result.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited with " + result.exitCode() + ": " + result.stderr());
    }
    return result;
  }

  /** {@code openssl ecparam -genkey -noout -name CURVE | openssl pkcs8 -topk8 -nocrypt}. */
  static String pkcs8Key(Path directory, String curve) {
    Result result =
        pipeline(
            directory,
            List.of("openssl", "ecparam", "-genkey", "-noout", "-name", curve),
            List.of("openssl", "pkcs8", "-topk8", "-nocrypt"));
    if (result.exitCode() != 0) throw new AssertionError("openssl key generation: " + result);
    return result.stdoutText();
  }
}
