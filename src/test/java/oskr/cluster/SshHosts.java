package oskr.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * sshd in each host of a {@link NetnsHosts}, on a host key and a user key made for this run only
 * (in the run's folder, deleted with it), and an ssh_config that uses them. The sshd processes are
 * started by the hosts, so closing the hosts stops them.
 */
final class SshHosts {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final NetnsHosts hosts;
  private final Path clientConfig;

  private SshHosts(NetnsHosts hosts, Path clientConfig) {
    this.hosts = hosts;
    this.clientConfig = clientConfig;
  }

  /** Why sshd cannot run here (Debian's openssh-server is not installed), or empty. */
  static Optional<String> unavailable() {
    if (Files.isExecutable(SSHD)) return Optional.empty();
    return Optional.of(
        SSHD + " is missing: install Debian's openssh-server (.ci/run does on a CI machine)");
  }

  /** Starts sshd on every host and waits until host {@code from} can log in to each. */
  static SshHosts start(NetnsHosts hosts, int count, int from)
      throws IOException, InterruptedException {
    Path dir = Files.createDirectories(hosts.folder().resolve("ssh"));
    Commands.run(
        List.of(
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-f",
            dir.resolve("host_key").toString()));
    Commands.run(
        List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("id").toString()));
    Files.copy(dir.resolve("id.pub"), dir.resolve("authorized_keys"));
    // sshd's privilege separation directory; a fresh container may lack it.
    Files.createDirectories(Path.of("/run/sshd"));
    for (int i = 0; i < count; i++) {
      Path config = dir.resolve("sshd_config-" + i);
      Files.writeString(
          config,
          String.join(
              "\n",
              "ListenAddress " + hosts.address(i),
              "Port 22",
              "HostKey " + dir.resolve("host_key"),
              "PidFile " + dir.resolve("sshd-" + i + ".pid"),
              "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
              "PermitRootLogin prohibit-password",
              "PasswordAuthentication no",
              "KbdInteractiveAuthentication no",
              "UsePAM no",
              "StrictModes no",
              "PrintMotd no",
              "Subsystem sftp internal-sftp",
              ""),
          StandardCharsets.UTF_8);
      hosts.start(i, "sshd " + i, List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()));
    }
    Path clientConfig = dir.resolve("ssh_config");
    Files.writeString(
        clientConfig,
        String.join(
            "\n",
            "Host *",
            "  IdentityFile " + dir.resolve("id"),
            "  IdentitiesOnly yes",
            "  StrictHostKeyChecking no",
            "  UserKnownHostsFile /dev/null",
            "  LogLevel ERROR",
            ""),
        StandardCharsets.UTF_8);
    SshHosts ssh = new SshHosts(hosts, clientConfig);
    for (int i = 0; i < count; i++) ssh.awaitLogin(from, i);
    return ssh;
  }

  Path clientConfig() {
    return clientConfig;
  }

  private void awaitLogin(int from, int to) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (true) {
      try {
        hosts.inNamespace(
            hosts.namespace(from),
            "ssh",
            "-F",
            clientConfig.toString(),
            "-o",
            "BatchMode=yes",
            "root@" + hosts.address(to),
            "true");
        return;
      } catch (IOException e) {
        if (Instant.now().isAfter(deadline)) throw e;
        Thread.sleep(200);
      }
    }
  }
}
