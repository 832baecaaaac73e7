package oskr.protocol.vr;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.FaultModel;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;
import oskr.protocol.vr.VrMessage.Commit;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;
import oskr.protocol.vr.VrMessage.NewState;
import oskr.protocol.vr.VrMessage.Prepare;
import oskr.protocol.vr.VrMessage.PrepareOk;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;
import oskr.protocol.vr.VrMessage.StartView;
import oskr.protocol.vr.VrMessage.StartViewChange;

/**
 * Viewstamped Replication (Liskov and Cowling, MIT-CSAIL-TR-2012-021): the crash-fault baseline, n
 * = 2f+1; see {@code package-info.java}. Nothing is signed; {@link #verify} only checks that a
 * replica message comes from the member it names.
 */
public final class Vr implements Protocol<VrMessage> {
  public static final Vr INSTANCE = new Vr(PlantedBug.NONE);

  static final String NOT_MEMBER = "not a member";
  static final String WRONG_SENDER = "sender address does not match";

  /** Bugs that mutation tests plant (PlantedBugsTest); the real protocol has none. */
  enum PlantedBug {
    NONE,
    /** A replica that lost its state restarts as if fresh, skipping recovery (§4.3). */
    VOTES_WHILE_RECOVERING,
    /** The new primary takes the longest log, ignoring the last normal view (§4.2 step 3). */
    LONGEST_LOG_WINS
  }

  private final PlantedBug bug;

  /** Only {@link #INSTANCE}, and tests planting a bug. */
  Vr(PlantedBug bug) {
    this.bug = bug;
  }

  @Override
  public String name() {
    return "vr";
  }

  @Override
  public int id() {
    return 20;
  }

  @Override
  public boolean usesSignatures() {
    return false;
  }

  /** Adaptive batching, as specpaxos runs VR. */
  @Override
  public int defaultBatchSizeMax() {
    return 100;
  }

  @Override
  public void checkConfig(Config config, String fileName) throws ConfigException {
    config.requireReplicas(2 * config.f() + 1, name(), "n = 2f+1", fileName);
  }

  @Override
  public Codec<VrMessage> codec() {
    return VrCodec.INSTANCE;
  }

  /** Crash faults: a replica message must come from the replica it names (or the primary). */
  @Override
  public void verify(VrMessage message, Address from, Config config, Crypto crypto)
      throws Rejected {
    switch (message) {
      case Request m -> {} // clients are not authenticated in VR
      case Reply m -> {
        if (config.indexOf(from) < 0) throw Rejected.of(NOT_MEMBER);
      }
      case Prepare m -> sentBy(primary(m.view(), config), from, config);
      case Commit m -> sentBy(primary(m.view(), config), from, config);
      case StartView m -> sentBy(primary(m.view(), config), from, config);
      case PrepareOk m -> sentBy(m.replica(), from, config);
      case StartViewChange m -> sentBy(m.replica(), from, config);
      case DoViewChange m -> sentBy(m.replica(), from, config);
      case Recovery m -> sentBy(m.replica(), from, config);
      case RecoveryResponse m -> sentBy(m.replica(), from, config);
      case GetState m -> sentBy(m.replica(), from, config);
      case NewState m -> sentBy(m.replica(), from, config);
      case GetSnapshot m -> sentBy(m.replica(), from, config);
      case SnapshotChunk m -> sentBy(m.replica(), from, config);
    }
  }

  private static int primary(long view, Config config) {
    return (int) (view % config.n());
  }

  private static void sentBy(int replica, Address from, Config config) throws Rejected {
    if (replica >= config.n()) throw Rejected.of(NOT_MEMBER);
    if (!config.replica(replica).equals(from)) throw Rejected.of(WRONG_SENDER);
  }

  @Override
  public Replica<VrMessage> replica(ReplicaSetup<VrMessage> setup) {
    return new VrReplica(setup, bug);
  }

  @Override
  public Client<VrMessage> client(ClientSetup<VrMessage> setup) {
    return new VrClient(setup);
  }

  /**
   * Crash faults where replicas may lose their state (recovery): f = 1 (n = 3), and f = 2 (n = 5),
   * where recovery's f+1 responses come from some of the others only. Small batches and a short
   * checkpoint interval exercise batching, log truncation and snapshot transfer within a run.
   */
  @Override
  public List<SimulationTarget<VrMessage>> simulationTargets() {
    return List.of(target(name(), 1), target(name() + "-f2", 2));
  }

  private SimulationTarget<VrMessage> target(String targetName, int f) {
    Options options =
        Options.defaults()
            .withBatchSizeMax(4)
            .withSettings(VrSettings.DEFAULTS.withCheckpointInterval(8));
    return new SimulationTarget<>(
        targetName,
        this,
        FaultModel.crash(f, true),
        Optional.empty(),
        options,
        Duration.ofSeconds(20));
  }
}
