package oskr.cli;

import java.nio.file.Path;
import java.util.List;
import oskr.core.Limits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of {@code oskr bench --all}: which protocols and settings an evaluation sweeps, where
 * it writes its table, points, plots and report.
 */
final class EvaluationOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--all",
      description =
          "Evaluate every protocol (what oskr bench does without -m): sweep client counts,"
              + " doubling until throughput stops rising, and write the table, every point (CSV,"
              + " JSON), throughput-latency plots (SVG, PNG) and report.md.")
  boolean all;

  @Option(
      names = "--protocols",
      paramLabel = "P1,P2",
      split = ",",
      hideParamSyntax = true,
      description = "With --all: only these protocols. Default: every one.")
  List<String> protocols;

  @Option(
      names = "--workers",
      paramLabel = "W1,W2",
      split = ",",
      hideParamSyntax = true,
      description = "With --all: the worker counts to run each protocol with. Default: 1.")
  List<Integer> workers;

  @Option(
      names = "--batches",
      paramLabel = "B1,B2",
      split = ",",
      hideParamSyntax = true,
      description =
          "With --all: the batch bounds for the protocols that batch. Default: each protocol's"
              + " own (what its paper evaluates).")
  List<Integer> batches;

  @Option(
      names = "--request-sizes",
      paramLabel = "S1,S2",
      split = ",",
      hideParamSyntax = true,
      description = "With --all: the operation sizes in bytes. Default: 0.")
  List<Integer> requestSizes;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "With --all: the folder for the results. Default: results/eval-TIMESTAMP.")
  Path out;

  @Option(
      names = "--quick",
      description = "With --all: about two minutes: 1, 8 and 64 clients, 2 s warm-up, 2 s windows.")
  boolean quick;

  /** Whether any option of an evaluation was given. */
  boolean anyGiven() {
    return all
        || protocols != null
        || workers != null
        || batches != null
        || requestSizes != null
        || out != null
        || quick;
  }

  /** Fails the command with an operator error if a list holds a value out of range. */
  void check() {
    for (int count : workers()) {
      CommonOptions.require(
          spec,
          count >= 1 && count <= ReplicaSettings.WORKERS_MAX,
          "--workers must be 1.." + ReplicaSettings.WORKERS_MAX);
    }
    if (batches != null) {
      for (int batch : batches) {
        CommonOptions.require(
            spec,
            batch >= 1 && batch <= Limits.BATCH_MAX,
            "--batches must be 1.." + Limits.BATCH_MAX);
      }
    }
    for (int size : requestSizes()) {
      CommonOptions.require(
          spec, size >= 0 && size <= Limits.OP_MAX, "--request-sizes must be 0.." + Limits.OP_MAX);
    }
  }

  List<Integer> workers() {
    return workers != null ? workers : List.of(1);
  }

  List<Integer> requestSizes() {
    return requestSizes != null ? requestSizes : List.of(0);
  }
}
