package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.app.DurableStore;
import oskr.app.ycsb.ClientStream;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.WorkloadProperties;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.Options;
import oskr.protocol.vr.Vr;
import oskr.protocol.vr.VrMessage;
import oskr.protocol.vr.VrSettings;

/**
 * State transfer of a durable store far larger than one frame, through VR: three replicas start on
 * equal stores of {@code megabytes} of YCSB records (the group restarted on its data), run a YCSB
 * mix, and one replica loses its store and restarts on an empty one: VR's recovery fetches the
 * checkpoint's snapshot chunk by chunk into the empty store's install, and the three stores end
 * with one digest.
 *
 * <p>The suite moves tens of MB on RocksDB (SQLite's install is slower on a loaded machine: run it
 * with the long test's engine property); the long test hundreds, on demand: {@code mvn -B -o test
 * -Dtest=LargeStateTransferTest -Doskr.longStateTransfer=true} (default 300 MB on RocksDB; {@code
 * -Doskr.longStateTransfer.megabytes=N}, {@code -Doskr.longStateTransfer.engine=sqlite}).
 */
class LargeStateTransferTest {
  /** Records of 4 fields of 250 bytes: about 1 KiB each with key and lengths. */
  private static final int FIELD_COUNT = 4;

  private static final int FIELD_LENGTH = 250;

  @TempDir Path directory;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"rocksdb"})
  void aReplicaRestartedOnAnEmptyStoreFetchesTensOfMegabytes(String engine) throws Exception {
    transfer(engine, 24);
  }

  @Test
  @EnabledIfSystemProperty(named = "oskr.longStateTransfer", matches = "true")
  void aReplicaRestartedOnAnEmptyStoreFetchesHundredsOfMegabytes() throws Exception {
    transfer(
        System.getProperty("oskr.longStateTransfer.engine", "rocksdb"),
        Integer.getInteger("oskr.longStateTransfer.megabytes", 300));
  }

  private void transfer(String engine, int megabytes) throws Exception {
    long records = (megabytes * (1L << 20)) / (FIELD_COUNT * (FIELD_LENGTH + 14) + 30);
    CoreWorkload workload =
        new CoreWorkload(
            new WorkloadProperties(
                Map.of(
                    "recordcount",
                    Long.toString(records),
                    "fieldcount",
                    Integer.toString(FIELD_COUNT),
                    "fieldlength",
                    Integer.toString(FIELD_LENGTH),
                    "readproportion",
                    "0.5",
                    "updateproportion",
                    "0.5",
                    "requestdistribution",
                    "uniform")));
    List<DurableStore> stores = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      stores.add(DurableStoresSimulationTest.open(engine, directory.resolve("replica-" + i)));
    }
    preload(workload, stores);
    assertThat(stores.getFirst().stateBytes()).isGreaterThan(megabytes * (1L << 20) * 9 / 10);

    DurableStore[] recovered = new DurableStore[1];
    int[] made = new int[3];
    Simulation<VrMessage> sim =
        Simulation.builder(Vr.INSTANCE, 8)
            .replicas(3, 1)
            .clients(2)
            .opsPerClient(60)
            .ops((client, number, random) -> runOp(workload, client))
            .options(
                Options.defaults()
                    .withBatchSizeMax(8)
                    .withSettings(VrSettings.DEFAULTS.withCheckpointInterval(8)))
            .app(
                replica -> {
                  if (made[replica]++ == 0) return stores.get(replica);
                  recovered[0] = open(engine, directory.resolve("replica-" + replica + "-new"));
                  return recovered[0];
                })
            .build();
    Duration limit = Duration.ofSeconds(600);
    sim.runUntil(() -> sim.completedOperations() >= 20, limit);
    sim.crash(sim.replicaAddress(2), false);
    sim.runUntil(() -> sim.completedOperations() >= 60, limit);
    sim.restart(sim.replicaAddress(2));
    assertThat(sim.runUntil(sim::allClientsDone, limit)).isEqualTo(RunStatus.SATISFIED);
    assertThat(recovered[0]).as("replica 2 restarted on a new store").isNotNull();
    // One chunk per round trip: hundreds of MB take thousands of round trips after the load ends.
    assertThat(sim.runUntil(() -> recovered[0].size() == stores.getFirst().size(), limit))
        .as("the restarted replica installs the whole snapshot")
        .isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofSeconds(1));

    Digest digest = stores.getFirst().digest();
    assertThat(stores.get(1).digest()).isEqualTo(digest);
    assertThat(recovered[0].size()).isEqualTo(stores.getFirst().size());
    assertThat(recovered[0].digest()).isEqualTo(digest);
    for (DurableStore store : stores) store.close();
    recovered[0].close();
  }

  private static DurableStore open(String engine, Path path) {
    try {
      return DurableStoresSimulationTest.open(engine, path);
    } catch (oskr.app.StoreOpenException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The same inserts into every store, outside any protocol: the group's data before it starts. */
  private static void preload(CoreWorkload workload, List<DurableStore> stores) {
    ClientStream loader = workload.stream(0, 1);
    long opNumber = 0;
    while (!loader.loadDone()) {
      Bytes op = loader.nextLoad().encode();
      opNumber++;
      for (DurableStore store : stores) store.execute(opNumber, op);
    }
  }

  private final Map<Integer, ClientStream> streams = new java.util.TreeMap<>();

  private Bytes runOp(CoreWorkload workload, int client) {
    return streams.computeIfAbsent(client, c -> workload.stream(c, 2)).nextRun().encode();
  }
}
