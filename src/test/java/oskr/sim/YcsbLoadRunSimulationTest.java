package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.app.KvStore;
import oskr.app.YcsbOp;
import oskr.app.YcsbResult;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.WorkloadProperties;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.protocol.SimulationTarget;
import oskr.registry.ProtocolRegistry;

/**
 * YCSB's load phase then its run phase, through every registered protocol in the simulator (its
 * first simulation target, the fewest replicas its fault model allows, no faults): every client
 * completes, the replicas' stores end with equal digests holding every record, every load insert
 * succeeded, and every read, update and read-modify-write invoked after the load found its record.
 */
class YcsbLoadRunSimulationTest {
  private static final int CLIENTS = 2;
  static final int RECORDS = 30;
  private static final int RUN_OPS_PER_CLIENT = 30;

  static Stream<Arguments> protocolsAndWorkloads() {
    List<Arguments> cases = new ArrayList<>();
    for (var protocol : ProtocolRegistry.all()) {
      for (String workload : List.of("workloada", "workloadd", "workloade", "workloadf")) {
        cases.add(Arguments.of(protocol.simulationTargets().getFirst(), workload));
      }
    }
    return cases.stream();
  }

  static CoreWorkload workload(String file) throws IOException {
    Properties loaded = new Properties();
    try (Reader in =
        Files.newBufferedReader(Path.of("workloads", file), StandardCharsets.ISO_8859_1)) {
      loaded.load(in);
    }
    loaded.setProperty("recordcount", Integer.toString(RECORDS));
    loaded.setProperty("operationcount", Integer.toString(CLIENTS * RUN_OPS_PER_CLIENT));
    loaded.setProperty("fieldcount", "3");
    loaded.setProperty("fieldlength", "16");
    loaded.setProperty("maxscanlength", "5");
    return new CoreWorkload(WorkloadProperties.of(loaded));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("protocolsAndWorkloads")
  <M> void loadThenRunCompletesWithAgreeingStores(SimulationTarget<M> target, String file)
      throws IOException, MalformedMessage {
    CoreWorkload workload = workload(file);
    LoadThenRun ops = new LoadThenRun(workload, CLIENTS);
    int n = target.faultModel().n();
    List<KvStore> stores = new ArrayList<>();
    for (int i = 0; i < n; i++) stores.add(new KvStore());
    Simulation<M> sim =
        Simulation.builder(target.protocol(), 14)
            .replicas(n, target.faultModel().f())
            .clients(CLIENTS)
            .opsPerClient(ops.loadOpsPerClient() + RUN_OPS_PER_CLIENT)
            .ops(ops)
            .app(stores::get)
            .options(target.options())
            .build();
    assertThat(sim.runUntil(sim::allClientsDone, Duration.ofSeconds(120)))
        .isEqualTo(RunStatus.SATISFIED);
    sim.runFor(Duration.ofSeconds(2)); // backups execute what the clients saw committed

    Set<Digest> digests = new HashSet<>();
    for (KvStore store : stores) digests.add(store.digest());
    assertThat(digests).as("replica digests").hasSize(1);
    long inserts = 0;
    long loadDone = 0;
    List<ClientOperation> history = sim.history();
    for (ClientOperation operation : history) {
      YcsbOp op = YcsbOp.decode(operation.op());
      if (op instanceof YcsbOp.Insert) inserts++;
      boolean isLoad = op instanceof YcsbOp.Insert insert && isLoadKey(workload, insert.key());
      if (isLoad) loadDone = Math.max(loadDone, operation.completedNanos());
    }
    assertThat(stores.getFirst().size()).isEqualTo(inserts);
    for (ClientOperation operation : history) {
      YcsbOp op = YcsbOp.decode(operation.op());
      YcsbResult result = YcsbResult.decode(operation.result());
      boolean mustFind =
          op instanceof YcsbOp.Insert
              || (operation.invokedNanos() > loadDone
                  && (op instanceof YcsbOp.Read
                      || op instanceof YcsbOp.Update
                      || op instanceof YcsbOp.ReadModifyWrite)
                  && isLoadKey(workload, key(op)));
      if (mustFind) assertThat(result.status()).as(op.toString()).isEqualTo(YcsbResult.Status.OK);
    }
  }

  private static Bytes key(YcsbOp op) {
    return switch (op) {
      case YcsbOp.Read read -> read.key();
      case YcsbOp.Update update -> update.key();
      case YcsbOp.Insert insert -> insert.key();
      case YcsbOp.Scan scan -> scan.startKey();
      case YcsbOp.ReadModifyWrite rmw -> rmw.key();
    };
  }

  private static boolean isLoadKey(CoreWorkload workload, Bytes key) {
    for (long number = 0; number < RECORDS; number++) {
      if (Bytes.utf8(workload.keyName(number)).equals(key)) return true;
    }
    return false;
  }
}
