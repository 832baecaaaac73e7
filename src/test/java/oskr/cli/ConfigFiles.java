package oskr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deployments for tests: {@code NAME.config} in a test's folder. */
final class ConfigFiles {
  private ConfigFiles() {}

  /** Writes {@code directory/NAME.config}; the base {@code directory/NAME} the CLI takes. */
  static String write(Path directory, String name, String text) throws IOException {
    Files.writeString(directory.resolve(name + ".config"), text);
    return directory.resolve(name).toString();
  }

  /** A deployment of {@code n} replicas on free loopback ports tolerating {@code f}; its base. */
  static String loopback(Path directory, String name, int f, int n) throws IOException {
    StringBuilder config = new StringBuilder("f " + f + "\n");
    for (int port : LocalCluster.freeUdpPorts(n)) {
      config.append("replica 127.0.0.1:").append(port).append('\n');
    }
    return write(directory, name, config.toString());
  }
}
