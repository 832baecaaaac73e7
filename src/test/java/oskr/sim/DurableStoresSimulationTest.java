package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.app.DurableStore;
import oskr.app.StoreOpenException;
import oskr.app.rocksdb.RocksStore;
import oskr.app.sqlite.SqliteStore;
import oskr.core.Digest;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;

/**
 * The durable stores behind replicas: YCSB's load and run through every protocol in the simulator
 * (Zyzzyva's speculative execution included), each replica on its own store on disk. The replicas'
 * stores agree on their digests, and after every store is closed and opened again (the group
 * restarted) they hold the same data.
 */
class DurableStoresSimulationTest {
  private static final int CLIENTS = 2;
  private static final int RUN_OPS_PER_CLIENT = 40;

  @TempDir Path directory;

  @FunctionalInterface
  interface Opener {
    DurableStore open(Path path) throws StoreOpenException;
  }

  static Stream<Arguments> protocolsAndStores() {
    List<Arguments> cases = new ArrayList<>();
    for (var protocol : ProtocolRegistry.all()) {
      SimulationTarget<?> target = protocol.simulationTargets().getFirst();
      cases.add(Arguments.of(target, "sqlite"));
      cases.add(Arguments.of(target, "rocksdb"));
    }
    return cases.stream();
  }

  static DurableStore open(String engine, Path path) throws StoreOpenException {
    return switch (engine) {
      case "sqlite" -> SqliteStore.open(path, DurableStore.STATE_BYTES_MAX);
      case "rocksdb" -> RocksStore.open(path, DurableStore.STATE_BYTES_MAX);
      default -> throw new IllegalArgumentException(engine);
    };
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("protocolsAndStores")
  <M> void replicasAgreeAndKeepTheirDataAcrossARestart(SimulationTarget<M> target, String engine)
      throws Exception {
    int n = target.faultModel().n();
    List<DurableStore> stores = new ArrayList<>();
    for (int i = 0; i < n; i++) stores.add(open(engine, directory.resolve("replica-" + i)));
    LoadThenRun ops = new LoadThenRun(YcsbLoadRunSimulationTest.workload("workloadd"), CLIENTS);
    Simulation<M> sim =
        Simulation.builder(target.protocol(), 3)
            .replicas(n, target.faultModel().f())
            .clients(CLIENTS)
            .opsPerClient(ops.loadOpsPerClient() + RUN_OPS_PER_CLIENT)
            .ops(ops)
            .app(stores::get)
            .options(target.options())
            .build();
    assertThat(sim.runUntil(sim::allClientsDone, Duration.ofSeconds(120)))
        .isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofSeconds(2));
    List<Digest> digests = new ArrayList<>();
    for (DurableStore store : stores) digests.add(store.digest());
    assertThat(digests).as("replica digests").containsOnly(digests.getFirst());
    long size = stores.getFirst().size();
    assertThat(size).isGreaterThanOrEqualTo(YcsbLoadRunSimulationTest.RECORDS);
    for (DurableStore store : stores) store.close();
    for (int i = 0; i < n; i++) {
      try (DurableStore reopened = open(engine, directory.resolve("replica-" + i))) {
        assertThat(reopened.digest()).isEqualTo(digests.getFirst());
        assertThat(reopened.size()).isEqualTo(size);
      }
    }
  }
}
