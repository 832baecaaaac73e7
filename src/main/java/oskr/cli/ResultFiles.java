package oskr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import oskr.bench.BenchResult;
import oskr.core.ConfigException;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --output FILE.json|FILE.csv}: the format follows the file name. */
final class ResultFiles {
  private ResultFiles() {}

  /** Whether {@code file} names a format {@link #write} knows. */
  static boolean knownFormat(Path file) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    return name.endsWith(".json") || name.endsWith(".csv");
  }

  /**
   * Fails the command with an operator error unless {@code --output} is absent, or a known format
   * in a folder that exists and can be written: checked before a run, so that a long benchmark does
   * not end in an error about its output.
   */
  static void requireWritable(CommandSpec spec, Path output) {
    if (output == null) return;
    CommonOptions.require(
        spec, knownFormat(output), "--output must name a .json or .csv file, got " + output);
    Path folder = output.toAbsolutePath().getParent();
    CommonOptions.require(
        spec,
        folder != null && Files.isDirectory(folder),
        "--output " + output + ": the folder " + folder + " does not exist");
    CommonOptions.require(
        spec,
        Files.isWritable(folder) && !Files.isDirectory(output),
        "--output " + output + ": cannot write there");
  }

  /**
   * Writes one run as a JSON object or a CSV header and row; several runs (a sweep) as a JSON array
   * or a CSV header and one row per run.
   *
   * @throws ConfigException naming the file if it cannot be written
   */
  static void write(Path file, List<BenchResult> results) throws ConfigException {
    if (!knownFormat(file)) throw new ConfigException(file + ": expected a .json or .csv name");
    StringBuilder text = new StringBuilder();
    if (file.toString().endsWith(".csv")) {
      text.append(BenchResult.csvHeader()).append('\n');
      for (BenchResult result : results) text.append(result.toCsvRow()).append('\n');
    } else if (results.size() == 1) {
      text.append(results.getFirst().toJson()).append('\n');
    } else {
      text.append("[\n");
      for (int i = 0; i < results.size(); i++) {
        text.append("  ").append(results.get(i).toJson());
        text.append(i + 1 < results.size() ? ",\n" : "\n");
      }
      text.append("]\n");
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot write: " + Deployment.describe(e));
    }
  }
}
