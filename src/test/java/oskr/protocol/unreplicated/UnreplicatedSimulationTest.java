package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Completion;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.sim.Checks;
import oskr.sim.ClientOperation;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Reorder;
import oskr.sim.Rewrite;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;

/** Plain Unreplicated in the simulator: faults on the network, crashes of the server. */
class UnreplicatedSimulationTest {
  static final Duration LIMIT = Duration.ofSeconds(60);
  static final int CLIENTS = 3;
  static final long OPS = 20;

  /** Enough to keep a whole run's trace for the tests that search it. */
  static final int TRACE_KEPT = 20_000;

  /** Seeds 1..8; {@code -Dsim.seed=N} replays one. */
  static LongStream seeds() {
    String replay = System.getProperty("sim.seed");
    return replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, 8);
  }

  /** Drops, duplicates, reordering and delay, on every link. */
  static Simulation<UnreplicatedMessage> faulty(Unreplicated protocol, long seed) {
    return Simulation.builder(protocol, seed)
        .clients(CLIENTS)
        .opsPerClient(OPS)
        .traceTail(TRACE_KEPT)
        .filter(new Drop(0.1))
        .filter(new Duplicate(0.1))
        .filter(new Reorder(0.2, Duration.ofMillis(10)))
        .filter(new Delay(Duration.ZERO, Duration.ofMillis(2)))
        .build();
  }

  /** Every request completed, none executed twice, no client accepted a result not executed. */
  static void assertCorrectAndComplete(Simulation<UnreplicatedMessage> sim, RunStatus status) {
    String context = "seed " + sim.seed() + "\n" + sim.traceTail(40);
    assertThat(status).as(context).isEqualTo(RunStatus.SATISFIED);
    assertThat(Checks.allCompleted(sim.history())).as(context).isEmpty();
    assertThat(Checks.exactlyOnce(sim.executions())).as(context).isEmpty();
    assertThat(Checks.agreement(sim.executions())).as(context).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions()))
        .as(context)
        .isEmpty();
    assertThat(sim.history()).as(context).hasSize(CLIENTS * (int) OPS);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyRequestCompletesOnceUnderDropsDuplicatesReorderingAndDelay(long seed) {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, seed);
    assertCorrectAndComplete(sim, sim.runUntil(sim::allClientsDone, LIMIT));
    assertThat(sim.executions()).hasSize(CLIENTS * (int) OPS);
  }

  @Test
  void theFaultsReallyHappenAndTheProtocolCopes() {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, 3);
    sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(sim.networkDrops().get(Drop.REASON)).isPositive();
    assertThat(sim.trace().tail(TRACE_KEPT)).anyMatch(line -> line.contains("copy #"));
    long lateReplies = 0;
    for (int i = 0; i < CLIENTS; i++)
      lateReplies += sim.client(i).drops().get(UnreplicatedClient.NOT_OUTSTANDING);
    assertThat(lateReplies).as("duplicate or resent replies the clients ignored").isPositive();
    long requestsDelivered =
        sim.trace().tail(TRACE_KEPT).stream()
            .filter(
                line -> line.contains(" deliver ") && line.contains("-> sim-replica-0:1: Request"))
            .count();
    assertThat(requestsDelivered)
        .as("retried and duplicated requests, answered without executing them again")
        .isGreaterThan(sim.executions().size());
  }

  /** A result says how it completed: the one normal path, and whether the client resent. */
  @Test
  void completionsCountResends() {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, 3);
    sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(sim.completedOperations(Completion.Path.NORMAL))
        .isEqualTo(sim.completedOperations())
        .isEqualTo(CLIENTS * OPS);
    assertThat(sim.completedOperations(Completion.Path.FAST)).isZero();
    assertThat(sim.completedAfterResend()).isPositive().isLessThan(CLIENTS * OPS);
    assertThat(sim.trace().tail(TRACE_KEPT)).anyMatch(line -> line.contains("resend(s)"));
  }

  @Test
  void aRunIsReproducibleFromItsSeed() {
    Simulation<UnreplicatedMessage> first = faulty(Unreplicated.PLAIN, 42);
    Simulation<UnreplicatedMessage> second = faulty(Unreplicated.PLAIN, 42);
    Simulation<UnreplicatedMessage> other = faulty(Unreplicated.PLAIN, 43);
    for (var sim : java.util.List.of(first, second, other))
      sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(second.traceHash()).isEqualTo(first.traceHash());
    assertThat(second.trace().lines()).isEqualTo(first.trace().lines());
    assertThat(second.history()).isEqualTo(first.history());
    assertThat(other.traceHash()).isNotEqualTo(first.traceHash());
  }

  @Test
  void aReplyForgedByAnotherAddressIsIgnored() {
    // No drops or duplicates here, so each forged reply arrives exactly once.
    Simulation<UnreplicatedMessage> sim =
        Simulation.builder(Unreplicated.PLAIN, 5)
            .clients(CLIENTS)
            .opsPerClient(OPS)
            .filter(new Reorder(0.2, Duration.ofMillis(10)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(2)))
            .build();
    Address forger = new Address("sim-forger", 1);
    long clientId = sim.clientId(0);
    for (int request = 1; request <= OPS; request++) {
      Reply forged = new Reply(clientId, request, Bytes.utf8("forged"), Bytes.EMPTY);
      sim.after(
          Duration.ofMillis(request),
          "forge",
          () -> sim.inject(forger, sim.clientAddress(0), forged));
    }
    assertCorrectAndComplete(sim, sim.runUntil(sim::allClientsDone, LIMIT));
    assertThat(sim.client(0).drops().get(UnreplicatedClient.NOT_FROM_SERVER)).isEqualTo(OPS);
  }

  @Test
  void withoutSignaturesAResultForgedOnTheWireGetsThroughAndTheCheckerCatchesIt() {
    Rewrite forge =
        Rewrite.messages(
            "forge results", Unreplicated.PLAIN, (packet, message, random) -> forged(message));
    Simulation<UnreplicatedMessage> sim =
        Simulation.builder(Unreplicated.PLAIN, 6).clients(1).opsPerClient(5).filter(forge).build();
    sim.runUntil(sim::allClientsDone, LIMIT);
    assertThat(forge.rewritten()).isEqualTo(5);
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions())).hasSize(5);
  }

  static UnreplicatedMessage forged(UnreplicatedMessage message) {
    if (!(message instanceof Reply reply)) return message;
    return new Reply(
        reply.clientId(), reply.requestNumber(), Bytes.utf8("forged"), reply.signature());
  }

  @Test
  void theServerPausesKeepingItsStateAndEveryRequestStillExecutesOnce() {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, 7);
    Address server = sim.replicaAddress(0);
    sim.after(Duration.ofMillis(10), "crash", () -> sim.crash(server, true));
    sim.after(Duration.ofMillis(500), "restart", () -> sim.restart(server));
    assertCorrectAndComplete(sim, sim.runUntil(sim::allClientsDone, LIMIT));
    assertThat(sim.receiveDrops(server).get(Simulation.NODE_DOWN)).isPositive();
  }

  @Test
  void theServerLosesItsStateSoRetriesRunOnTheFreshOneAndItsHistoryRestarts() {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, 8);
    Address server = sim.replicaAddress(0);
    sim.after(Duration.ofMillis(20), "crash", () -> sim.crash(server, false));
    sim.after(Duration.ofMillis(300), "restart", () -> sim.restart(server));
    RunStatus status = sim.runUntil(sim::allClientsDone, LIMIT);
    String context = sim.traceTail(40);
    assertThat(status).as(context).isEqualTo(RunStatus.SATISFIED);
    assertThat(Checks.allCompleted(sim.history())).as(context).isEmpty();
    assertThat(Checks.exactlyOnce(sim.executions())).as(context).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions()))
        .as(context)
        .isEmpty();
    assertThat(sim.executions()).anyMatch(execution -> execution.incarnation() == 1);
    // One server tolerates no fault: the fresh one numbers ops from 1 again, and the agreement
    // checker sees two different op 1s.
    assertThat(Checks.agreement(sim.executions()))
        .first()
        .asString()
        .startsWith("diverged at op number 1");
  }

  @Test
  void repliesCutOffOneWayAreResentFromTheClientTableAfterHealing() {
    Simulation<UnreplicatedMessage> sim = faulty(Unreplicated.PLAIN, 9);
    Set<Address> clients = Set.of(sim.clientAddress(0), sim.clientAddress(1), sim.clientAddress(2));
    sim.after(
        Duration.ofMillis(10),
        "cut replies",
        () -> sim.partitionOneWay(Set.of(sim.replicaAddress(0)), clients));
    sim.after(Duration.ofMillis(800), "heal", sim::heal);
    assertCorrectAndComplete(sim, sim.runUntil(sim::allClientsDone, LIMIT));
    assertThat(sim.executions()).hasSize(CLIENTS * (int) OPS);
  }

  @Test
  void aClientThatLosesItsStateAbandonsItsOperationAndGoesOnWithANewId() {
    Simulation<UnreplicatedMessage> sim =
        Simulation.builder(Unreplicated.PLAIN, 10)
            .clients(1)
            .opsPerClient(4)
            .filter(new Drop(1.0).onlyIf(packet -> packet.to().equals(sim0Client())))
            .build();
    long oldId = sim.clientId(0);
    sim.runFor(Duration.ofMillis(50));
    sim.crash(sim.clientAddress(0), false);
    sim.heal();
    sim.restart(sim.clientAddress(0));
    assertThat(sim.runUntil(sim::allClientsDone, LIMIT)).isEqualTo(RunStatus.SATISFIED);
    assertThat(sim.clientId(0)).isNotEqualTo(oldId);
    assertThat(sim.history()).hasSize(4);
    assertThat(sim.history().get(0).isCompleted()).isFalse();
    assertThat(sim.history().subList(1, 4)).allMatch(ClientOperation::isCompleted);
    assertThat(Checks.exactlyOnce(sim.executions())).isEmpty();
  }

  private static Address sim0Client() {
    return oskr.sim.SimulationBuilder.clientAddress(0);
  }
}
