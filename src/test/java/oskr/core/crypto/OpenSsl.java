package oskr.core.crypto;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the openssl command line from tests, to prove key files and signatures interoperate with
 * the tool the seed uses. Tests that need it skip (not fail) where openssl is not on the PATH.
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

  /** Skips the calling test with a message unless an openssl executable is on the PATH. */
  static void assumeAvailable() {
    assumeTrue(onPath(), "openssl is not on the PATH: interoperability with openssl not checked");
  }

  private static boolean onPath() {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String directory : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(directory, "openssl"))) return true;
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
