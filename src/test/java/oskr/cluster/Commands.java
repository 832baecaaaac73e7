package oskr.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Short system commands for the real-cluster tests, and the command line of a child JVM. */
final class Commands {
  private Commands() {}

  /** The output of a command that must succeed within 30 s. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    String text = new String(output, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " failed (" + process.exitValue() + "): " + text.strip());
    }
    return text;
  }

  /** Runs a command whose failure does not matter (cleanup of what may be gone already). */
  static void runQuietly(List<String> command) {
    try {
      run(command);
    } catch (IOException e) {
      // Already gone, or never made: nothing to clean.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** This JVM's java binary. */
  static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * {@code java ... MAIN ARGS} with this JVM's class path, a small serial-collected heap (five JVMs
   * share two cores) and quiet logs.
   */
  static List<String> javaMain(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow",
            "-ea",
            "-XX:+UseSerialGC",
            "-Xms64m",
            "-Xmx256m",
            "-Doskr.log=WARN",
            "-cp",
            classPath(),
            mainClass));
    command.addAll(args);
    return command;
  }

  /** {@code java ... oskr.cli.Oskr ARGS}. */
  static List<String> oskr(List<String> args) {
    return javaMain("oskr.cli.Oskr", args);
  }

  static String classPath() {
    return classPath(List.of());
  }

  /**
   * This JVM's class path, absolute, without the entries whose file name starts with one of {@code
   * left}.
   */
  static String classPath(List<String> left) {
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path path = Path.of(entry).toAbsolutePath();
      String name = path.getFileName().toString();
      if (left.stream().noneMatch(name::startsWith)) entries.add(path.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * What {@code oskr bench --hosts} needs on the hosts, as a class path: the build's classes and
   * runtime libraries, without the test libraries, so that the bench copies what a user's jar
   * holds.
   */
  static List<String> leanOskr(List<String> args) {
    List<String> command = javaMain("oskr.cli.Oskr", args);
    int cp = command.indexOf("-cp");
    command.set(
        cp + 1,
        classPath(
            List.of(
                "test-classes",
                "byte-buddy",
                "archunit",
                "assertj",
                "junit",
                "opentest4j",
                "apiguardian")));
    return command;
  }
}
