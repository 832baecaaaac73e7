package oskr.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Limits;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.runtime.StageMode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a replica runs, as {@code oskr replica} takes it and {@code oskr bench} passes it on: {@code
 * -w}, {@code -b}, {@code -a}, {@code --auth} and {@code --stage}.
 */
final class ReplicaSettings {
  static final int WORKERS_MAX = 256;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = {"-w", "--worker-number"},
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Stateless worker threads (sign, verify, digest, decode). Default: ${DEFAULT-VALUE}.")
  int workers;

  /** Null until {@link #check} takes the protocol's default. */
  @Option(
      names = {"-b", "--batch-size"},
      paramLabel = "MAX",
      description =
          "The most requests in one batch. Default: the protocol's own, the bound its paper"
              + " evaluates (adaptive batching up to 100 where the protocol batches).")
  Integer batchSizeMax;

  /** Null when not given: {@link #app(String)} then takes the command's default. */
  @Option(
      names = {"-a", "--app"},
      paramLabel = "APP",
      converter = Apps.Converter.class,
      completionCandidates = Apps.Names.class,
      description =
          "The replicated app: ${COMPLETION-CANDIDATES}. Default: null (oskr bench with"
              + " --workload ycsb: kv).")
  Apps.Choice app;

  /** {@code -a}, else {@code fallback}. */
  Apps.Choice app(String fallback) {
    return app != null ? app : new Apps.Converter().convert(fallback);
  }

  @Option(
      names = "--db",
      paramLabel = "PATH",
      description =
          "Where a durable store keeps its data: a file for -a sqlite, a directory for -a"
              + " rocksdb, created if missing (oskr bench: a directory for every replica's;"
              + " default: the bench's temporary folder).")
  Path db;

  @Mixin CommonOptions.AuthOption auth;

  @Option(
      names = "--stage",
      hidden = true,
      paramLabel = "inline|thread",
      converter = CommonOptions.StageConverter.class,
      description =
          "Advanced: run the replica's protocol inline on the posting threads or on a dedicated"
              + " thread (docs/transport.md). Default: inline.")
  StageMode stage = StageMode.DEFAULT;

  /**
   * Takes {@code protocol}'s defaults for {@code -b} and {@code --auth} where they were not given,
   * and fails the command with an operator error if a setting is out of range or means nothing to
   * the protocol.
   */
  void check(Protocol<?> protocol) {
    checkWorkers();
    if (batchSizeMax == null) batchSizeMax = protocol.defaultBatchSizeMax();
    CommonOptions.require(
        spec,
        batchSizeMax >= 1 && batchSizeMax <= Limits.BATCH_MAX,
        "-b must be 1.." + Limits.BATCH_MAX);
    auth.resolve(spec, protocol);
  }

  /**
   * For an evaluation, which takes each protocol's own {@code -b} and resolves {@code --auth} per
   * protocol: checks {@code -w} and a {@code -b} given.
   */
  void checkWorkersOnly() {
    checkWorkers();
    CommonOptions.require(
        spec, batchSizeMax == null, "-b: an evaluation takes --batches (a list) instead");
  }

  /** For a server that runs no protocol (udp-echo): only {@code -w} means something. */
  void checkWithoutProtocol(String server) {
    checkWorkers();
    CommonOptions.require(
        spec, batchSizeMax == null && auth.scheme == null, server + " takes no -b or --auth");
  }

  private void checkWorkers() {
    CommonOptions.require(
        spec, workers >= 1 && workers <= WORKERS_MAX, "-w must be 1.." + WORKERS_MAX);
  }

  /** The scheme, once {@link #check} resolved it. */
  Scheme scheme() {
    return auth.scheme;
  }

  /** The protocol's options: the scheme and the batch size. */
  Options protocolOptions() {
    return Options.defaults().withScheme(scheme()).withBatchSizeMax(batchSizeMax);
  }

  /**
   * These settings, once {@link #check} resolved them, as {@code oskr replica} arguments; {@code
   * -a} defaults to {@code app}.
   */
  List<String> args(Protocol<?> protocol, String app) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-w",
                Integer.toString(workers),
                "-b",
                Integer.toString(batchSizeMax),
                "-a",
                app(app).name(),
                "--stage",
                stage.cliName()));
    if (protocol.usesSignatures()) args.addAll(List.of("--auth", scheme().cliName()));
    return args;
  }
}
