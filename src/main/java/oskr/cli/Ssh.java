package oskr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Command lines of the system's OpenSSH client, never interactive ({@code BatchMode}: a missing key
 * fails at once instead of prompting), with an optional {@code ssh_config} file ({@code -F}) for
 * the identity, host-key policy and anything else a cluster needs.
 */
public final class Ssh {
  /** How long a connection attempt may take. */
  static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final Optional<Path> config;

  public Ssh(Optional<Path> config) {
    this.config = config;
  }

  private List<String> options() {
    List<String> options = new ArrayList<>();
    config.ifPresent(file -> options.addAll(List.of("-F", file.toString())));
    options.addAll(
        List.of(
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=" + CONNECT_TIMEOUT_SECONDS,
            "-o",
            "ServerAliveInterval=5",
            "-o",
            "ServerAliveCountMax=3"));
    return options;
  }

  /** {@code ssh HOST COMMAND}: COMMAND runs in the remote user's shell. */
  public List<String> ssh(HostsFile.Host host, String command) {
    List<String> line = new ArrayList<>(List.of("ssh"));
    line.addAll(options());
    line.add(host.target());
    line.add(command);
    return line;
  }

  /** {@code scp FILES HOST:DIRECTORY/}. */
  public List<String> copyTo(HostsFile.Host host, List<Path> files, String directory) {
    List<String> line = new ArrayList<>(List.of("scp", "-q", "-p"));
    line.addAll(options());
    for (Path file : files) line.add(file.toString());
    line.add(host.target() + ":" + directory + "/");
    return line;
  }

  /** {@code scp HOST:PATH LOCAL}. */
  public List<String> copyFrom(HostsFile.Host host, String path, Path local) {
    List<String> line = new ArrayList<>(List.of("scp", "-q"));
    line.addAll(options());
    line.add(host.target() + ":" + path);
    line.add(local.toString());
    return line;
  }

  /**
   * Runs a command to its end; its output. Fails with the command's output (ssh's error) if it
   * exits non-zero or takes longer than {@code timeout}.
   */
  public static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // The output is small (errors, a few lines): read it after the exit, on a helper thread so a
    // chatty command cannot block on a full pipe.
    StringBuilder output = new StringBuilder();
    Thread reader =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    output.append(
                        new String(
                            process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    // Closed under us: the process is gone.
                  }
                });
    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      process.destroyForcibly();
      throw new IOException("timed out after " + timeout.toSeconds() + " s: " + describe(command));
    }
    reader.join(Duration.ofSeconds(5));
    if (process.exitValue() != 0) {
      throw new IOException(
          describe(command)
              + " failed (exit code "
              + process.exitValue()
              + "): "
              + output.toString().strip());
    }
    return output.toString();
  }

  /** A command line shortened for an error message: the program and its last argument. */
  static String describe(List<String> command) {
    return command.get(0) + " … " + command.get(command.size() - 1);
  }

  /** {@code text} as one word of a POSIX shell command. */
  public static String quote(String text) {
    return "'" + text.replace("'", "'\\''") + "'";
  }
}
