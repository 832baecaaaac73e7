package oskr.app.ycsb;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The shipped workload files, read as the CLI reads them, with overrides. */
final class Workloads {
  private Workloads() {}

  static CoreWorkload of(String name, Map<String, String> overrides) {
    Properties loaded = new Properties();
    try (Reader in =
        Files.newBufferedReader(Path.of("workloads", name), StandardCharsets.ISO_8859_1)) {
      loaded.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    overrides.forEach(loaded::setProperty);
    return new CoreWorkload(WorkloadProperties.of(loaded));
  }

  static CoreWorkload of(Map<String, String> properties) {
    return new CoreWorkload(new WorkloadProperties(properties));
  }
}
