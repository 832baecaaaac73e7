package oskr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hosts of a real cluster, for {@code oskr bench --hosts FILE}: one host per line,
 *
 * <pre>
 *   # ROLE   USER@ADDRESS[:PORT]   WORKDIR        [java=PATH]
 *   replica  oskr@10.0.0.1:7000    /home/oskr/run java=/usr/lib/jvm/jdk-25/bin/java
 *   replica  oskr@10.0.0.2         /home/oskr/run
 *   client   oskr@10.0.0.9         /home/oskr/run
 * </pre>
 *
 * Replicas take the ids 0, 1, ... in the order of their lines and listen on PORT (default {@value
 * #DEFAULT_PORT}); a client host runs the clients ({@code -t} of them on each). WORKDIR is an
 * absolute path on that host; {@code java} defaults to the {@code java} on the remote PATH, which
 * must be a JDK 25. Blank lines and {@code #} comments are skipped. The fields end up in remote
 * shell commands, so they are restricted to characters that need no quoting.
 */
public final class HostsFile {
  /** The UDP port of a replica whose line names none. */
  public static final int DEFAULT_PORT = 7000;

  public enum Role {
    REPLICA,
    CLIENT
  }

  /** One line: {@code user@address}, the replica port (0 for a client host), the folder. */
  public record Host(
      Role role, String user, String address, int port, String workdir, String java, int line) {
    /** {@code user@address}, for ssh and scp. */
    public String target() {
      return user + "@" + address;
    }

    @Override
    public String toString() {
      return target() + (role == Role.REPLICA ? ":" + port : "");
    }
  }

  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+-]*");

  private HostsFile() {}

  /** The hosts of {@code file}; a {@link HostsFileException} names the file, line and problem. */
  public static List<Host> read(Path file) throws HostsFileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new HostsFileException("cannot read hosts file " + file + ": " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  public static List<Host> parse(String text, String name) throws HostsFileException {
    List<Host> hosts = new ArrayList<>();
    Set<String> replicaEndpoints = new HashSet<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash).strip();
      if (line.isEmpty()) continue;
      Host host = parseLine(line, i + 1, name);
      if (host.role() == Role.REPLICA
          && !replicaEndpoints.add(host.address() + ":" + host.port())) {
        throw problem(name, i + 1, "a second replica at " + host.address() + ":" + host.port());
      }
      hosts.add(host);
    }
    if (hosts.stream().noneMatch(h -> h.role() == Role.REPLICA)) {
      throw new HostsFileException(name + ": no replica line");
    }
    if (hosts.stream().noneMatch(h -> h.role() == Role.CLIENT)) {
      throw new HostsFileException(name + ": no client line");
    }
    return List.copyOf(hosts);
  }

  private static Host parseLine(String line, int number, String name) throws HostsFileException {
    String[] fields = line.split("\\s+");
    if (fields.length < 3 || fields.length > 4) {
      throw problem(
          name,
          number,
          "expected ROLE USER@ADDRESS[:PORT] WORKDIR [java=PATH], got '" + line + "'");
    }
    Role role =
        switch (fields[0]) {
          case "replica" -> Role.REPLICA;
          case "client" -> Role.CLIENT;
          default ->
              throw problem(name, number, "the role must be replica or client, not " + fields[0]);
        };
    int at = fields[1].indexOf('@');
    if (at < 0) throw problem(name, number, "expected USER@ADDRESS, got " + fields[1]);
    String user = fields[1].substring(0, at);
    String endpoint = fields[1].substring(at + 1);
    if (!USER.matcher(user).matches()) throw problem(name, number, "bad user name '" + user + "'");
    String address = endpoint;
    int port = role == Role.REPLICA ? DEFAULT_PORT : 0;
    int colon = endpoint.lastIndexOf(':');
    if (colon >= 0) {
      address = endpoint.substring(0, colon);
      if (role == Role.CLIENT) {
        throw problem(name, number, "a client host takes no port (its clients use ephemeral ones)");
      }
      try {
        port = Integer.parseInt(endpoint.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw problem(
            name, number, "the port must be 1..65535, got " + endpoint.substring(colon + 1));
      }
    }
    if (!ADDRESS.matcher(address).matches()) {
      throw problem(name, number, "bad address '" + address + "' (a host name or IPv4 address)");
    }
    String workdir = fields[2];
    if (!PATH.matcher(workdir).matches()) {
      throw problem(
          name,
          number,
          "WORKDIR must be an absolute path of letters, digits and ._/+-, got " + workdir);
    }
    String java = "java";
    if (fields.length == 4) {
      if (!fields[3].startsWith("java=")) {
        throw problem(name, number, "the fourth field must be java=PATH, got " + fields[3]);
      }
      java = fields[3].substring("java=".length());
      if (!PATH.matcher(java).matches()) {
        throw problem(name, number, "java=PATH must be an absolute path, got " + java);
      }
    }
    return new Host(role, user, address, port, workdir, java, number);
  }

  private static HostsFileException problem(String name, int line, String message) {
    return new HostsFileException(name + " line " + line + ": " + message);
  }
}
