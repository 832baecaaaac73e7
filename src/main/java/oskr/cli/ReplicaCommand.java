package oskr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.app.DurableStore;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.ConfigException;
import oskr.core.crypto.Keyring;
import oskr.protocol.Protocol;
import oskr.protocol.ReplicaSetup.Start;
import oskr.runtime.ReplicaHost;
import oskr.runtime.RuntimeOptions;
import oskr.runtime.StageMode;
import oskr.runtime.udp.Transport;
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
  private static final Duration FAILURE_POLL = Duration.ofMillis(200);

  @Spec CommandSpec spec;
  @Mixin CommonOptions.Help help;

  @Mixin CommonOptions.ProtocolOption protocolOption;
  @Mixin CommonOptions.ConfigOption config;

  @Option(
      names = {"-i", "--id"},
      required = true,
      paramLabel = "ID",
      description = "This replica's id: its line in the config, from 0.")
  int id;

  @Mixin ReplicaSettings settings;

  @Mixin CommonOptions.TransportOption transport;

  @Option(
      names = "--recovering",
      description =
          "This replica restarts after losing its state while the others went on: it recovers"
              + " what it knew from them before it answers (VR's recovery protocol).")
  boolean recovering;

  @Option(
      names = "--drop",
      paramLabel = "RATE",
      defaultValue = "0",
      description = "Drop this fraction of received datagrams on purpose, in [0, 1). Default: 0.")
  double dropRate;

  @Mixin CommonOptions.ExitWithParent exitWithParent;

  @Override
  public Integer call() throws ConfigException, RunFailed, InterruptedException {
    Protocol<?> protocol = protocolOption.protocol;
    settings.check(protocol);
    Apps.Choice appChoice = settings.app("null");
    CommonOptions.require(
        spec,
        !appChoice.durable() || settings.db != null,
        "-a " + appChoice.name() + " keeps its data in --db PATH: give one");
    CommonOptions.require(
        spec,
        appChoice.durable() || settings.db == null,
        "--db is for the durable stores (-a sqlite, -a rocksdb), not -a " + appChoice.name());
    CommonOptions.require(
        spec, dropRate >= 0 && dropRate < 1, "--drop must be in [0, 1), got " + dropRate);
    exitWithParent.apply();
    Deployment loaded = config.load(protocol);
    Keyring keyring = loaded.replicaKeyring(protocol, id, settings.scheme());
    Address address = loaded.config().replica(id);
    App app = appChoice.create(Optional.ofNullable(settings.db));
    ReplicaHost host;
    try {
      host =
          ReplicaHost.start(
              protocol,
              loaded.config(),
              id,
              keyring,
              app,
              settings.protocolOptions(),
              new RuntimeOptions(settings.workers, dropRate)
                  .withStage(settings.stage)
                  .withTransport(transport.transport)
                  .withStart(recovering ? Start.AFTER_STATE_LOSS : Start.FRESH));
    } catch (IOException e) {
      closeApp(app);
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
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(host, app), "oskr-replica-stop"));
    out.println(Ready.line("replica " + id, address, details(protocol, app)));
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

  private String details(Protocol<?> protocol, App app) {
    return protocol.name()
        + ", workers "
        + settings.workers
        + ", batch "
        + settings.batchSizeMax
        + ", app "
        + settings.app("null").name()
        + (app instanceof DurableStore store
            ? " at "
                + settings.db
                + " ("
                + store.size()
                + " records, last write op "
                + store.appliedOpNumber()
                + ")"
            : "")
        + (protocol.usesSignatures() ? ", auth " + settings.scheme().cliName() : "")
        + (dropRate > 0 ? ", dropping " + dropRate : "")
        + (settings.stage != StageMode.DEFAULT ? ", stage " + settings.stage.cliName() : "")
        + (transport.transport != Transport.DEFAULT
            ? ", transport " + transport.transport.cliName()
            : "");
  }

  private void stop(ReplicaHost host, App app) {
    host.close();
    closeApp(app);
    log.info("r{} stopped; drops {}", id, host.drops());
  }

  /** Closes a durable store, after the protocol stopped calling it. */
  private static void closeApp(App app) {
    if (app instanceof DurableStore store) store.close();
  }
}
