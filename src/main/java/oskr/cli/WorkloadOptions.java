package oskr.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.WorkloadProperties;
import oskr.core.ConfigException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A YCSB workload as {@code oskr client} takes it and {@code oskr bench} passes it on: {@code -P
 * FILE} (YCSB's property-file format, as {@code java.util.Properties} reads it), {@code -p
 * NAME=VALUE} overriding the file, as in YCSB, and {@code --load} for the load phase. The workload
 * itself ({@code -w/--workload ycsb}) is the command's own option, since {@code oskr bench} uses
 * {@code -w} for the replicas' workers.
 */
final class WorkloadOptions {
  static final String NULL = "null";
  static final String YCSB = "ycsb";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "-P",
      paramLabel = "FILE",
      description = "YCSB: the workload's property file, for example workloads/workloada.")
  Path propertyFile;

  @Option(
      names = "-p",
      paramLabel = "NAME=VALUE",
      description = "YCSB: a property, over the file's (repeatable), e.g. -p recordcount=100000.")
  Map<String, String> properties = new LinkedHashMap<>();

  @Option(
      names = "--load",
      description =
          "YCSB: run the load phase (insert the records, every client its share, until all are"
              + " in) instead of the measured run phase.")
  boolean load;

  /** Fails the command with an operator error if YCSB options come without {@code ycsb}. */
  void check(String workload) {
    CommonOptions.require(
        spec,
        workload.equals(NULL) || workload.equals(YCSB),
        "unknown workload '" + workload + "', expected null or ycsb");
    boolean ycsb = workload.equals(YCSB);
    CommonOptions.require(
        spec,
        ycsb || (propertyFile == null && properties.isEmpty() && !load),
        "-P, -p and --load need --workload ycsb");
    CommonOptions.require(spec, !ycsb || propertyFile != null, "--workload ycsb needs -P FILE");
  }

  /**
   * The file's properties with the overrides, checked as YCSB's core workload.
   *
   * @throws ConfigException naming the file (and the property) if it cannot be read or is wrong
   */
  CoreWorkload workload() throws ConfigException {
    Properties loaded = new Properties();
    try (Reader in = Files.newBufferedReader(propertyFile, StandardCharsets.ISO_8859_1)) {
      loaded.load(in);
    } catch (IOException e) {
      throw new ConfigException(propertyFile + ": cannot read: " + Deployment.describe(e));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(propertyFile + ": " + e.getMessage());
    }
    properties.forEach(loaded::setProperty);
    try {
      return new CoreWorkload(WorkloadProperties.of(loaded));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(propertyFile + ": " + e.getMessage());
    }
  }

  /** The name results carry: {@code ycsb:workloada}, and {@code load} for the load phase. */
  String resultName() {
    String file = propertyFile.getFileName() == null ? "" : propertyFile.getFileName().toString();
    return YCSB + ":" + file + (load ? " load" : "");
  }

  /** These options as {@code oskr client} arguments (without {@code --load}). */
  List<String> clientArgs() {
    List<String> args = new ArrayList<>();
    if (propertyFile != null) args.addAll(List.of("-P", propertyFile.toAbsolutePath().toString()));
    properties.forEach((name, value) -> args.addAll(List.of("-p", name + "=" + value)));
    return args;
  }
}
