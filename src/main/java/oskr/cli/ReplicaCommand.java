package oskr.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.core.Address;
import oskr.core.ConfigException;
import oskr.core.Limits;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.runtime.ReplicaHost;
import oskr.runtime.RuntimeOptions;
import oskr.runtime.StageMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code oskr replica}: serves until Ctrl-C or SIGTERM, then closes its sockets and exits. */
@Command(
    name = "replica",
    description = "Run one replica until Ctrl-C or SIGTERM.",
    sortOptions = false,
    footer = {
      "%nExample (one replica of deploy/local.config, keys from 'oskr keygen -c deploy/local'):",
      "  oskr replica -m unreplicated-signed -c deploy/local -i 0 -w 2 --auth ed25519"
    })
final class ReplicaCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ReplicaCommand.class);
  static final int WORKERS_MAX = 256;
  private static final Duration FAILURE_POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Option(
      names = {"-m", "--protocol"},
      required = true,
      paramLabel = "PROTO",
      converter = Protocols.Converter.class,
      completionCandidates = Protocols.Names.class,
      description = "The protocol: ${COMPLETION-CANDIDATES}.")
  Protocol<?> protocol;

  @Option(
      names = {"-c", "--config"},
      required = true,
      paramLabel = "deploy/NAME",
      description = "Read deploy/NAME.config and, if the protocol signs, deploy/NAME-ID.pem.")
  String deployment;

  @Option(
      names = {"-i", "--id"},
      required = true,
      paramLabel = "ID",
      description = "This replica's id: its line in the config, from 0.")
  int id;

  @Option(
      names = {"-w", "--worker-number"},
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Stateless worker threads (sign, verify, digest, decode). Default: ${DEFAULT-VALUE}.")
  int workers;

  @Option(
      names = {"-b", "--batch-size"},
      paramLabel = "MAX",
      defaultValue = "1",
      description = "The most requests in one batch. Default: ${DEFAULT-VALUE}.")
  int batchSizeMax;

  @Option(
      names = {"-a", "--app"},
      paramLabel = "APP",
      defaultValue = "null",
      converter = Apps.Converter.class,
      completionCandidates = Apps.Names.class,
      description = "The replicated app: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  Apps.Choice app;

  @Option(
      names = "--auth",
      paramLabel = "SCHEME",
      defaultValue = "secp256k1",
      converter = CommonOptions.SchemeConverter.class,
      completionCandidates = CommonOptions.SchemeNames.class,
      description = "Signature scheme: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  Scheme auth;

  @Option(
      names = "--drop",
      paramLabel = "RATE",
      defaultValue = "0",
      description = "Drop this fraction of received datagrams on purpose, in [0, 1). Default: 0.")
  double dropRate;

  @Option(
      names = "--stage",
      hidden = true,
      paramLabel = "inline|thread",
      converter = CommonOptions.StageConverter.class,
      description =
          "Advanced: run the replica's protocol inline on the posting threads or on a dedicated"
              + " thread (docs/transport.md). Default: inline.")
  StageMode stage = StageMode.DEFAULT;

  @Option(names = "--exit-with-parent", hidden = true, description = "Used by oskr bench.")
  boolean exitWithParent;

  @Override
  public Integer call() throws ConfigException, RunFailed, InterruptedException {
    CommonOptions.require(
        spec, workers >= 1 && workers <= WORKERS_MAX, "-w must be 1.." + WORKERS_MAX);
    CommonOptions.require(
        spec,
        batchSizeMax >= 1 && batchSizeMax <= Limits.BATCH_MAX,
        "-b must be 1.." + Limits.BATCH_MAX);
    CommonOptions.require(
        spec, dropRate >= 0 && dropRate < 1, "--drop must be in [0, 1), got " + dropRate);
    if (exitWithParent) ParentWatch.exitWithParent();
    Deployment loaded = Deployment.load(deployment, protocol);
    Keyring keyring = loaded.replicaKeyring(protocol, id, auth);
    Address address = loaded.config().replica(id);
    Options options = Options.defaults().withScheme(auth).withBatchSizeMax(batchSizeMax);
    ReplicaHost host;
    try {
      host =
          ReplicaHost.start(
              protocol,
              loaded.config(),
              id,
              keyring,
              app.create(),
              options,
              new RuntimeOptions(workers, dropRate).withStage(stage));
    } catch (IOException e) {
      throw new ConfigException(
          loaded.configFile()
              + ": replica "
              + id
              + " cannot listen on "
              + address
              + ": "
              + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(host), "oskr-replica-stop"));
    out.println(Ready.line("replica " + id, address, details()));
    out.flush();
    // Until a signal (the shutdown hook then closes the host), or until the protocol fails: a
    // replica whose protocol stopped must not look alive, so it exits non-zero.
    while (true) {
      Optional<Throwable> failure = host.failure();
      if (failure.isPresent()) {
        throw new RunFailed("replica " + id + " stopped: the protocol failed: " + failure.get());
      }
      Thread.sleep(FAILURE_POLL);
    }
  }

  private String details() {
    return protocol.name()
        + ", workers "
        + workers
        + ", batch "
        + batchSizeMax
        + ", app "
        + app.name()
        + (protocol.usesSignatures() ? ", auth " + auth.cliName() : "")
        + (dropRate > 0 ? ", dropping " + dropRate : "")
        + (stage != StageMode.DEFAULT ? ", stage " + stage.cliName() : "");
  }

  private void stop(ReplicaHost host) {
    host.close();
    log.info("r{} stopped; drops {}", id, host.drops());
  }
}
