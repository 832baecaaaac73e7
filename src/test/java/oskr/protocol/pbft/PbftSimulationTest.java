package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.Options;
import oskr.protocol.SimulationTarget;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.registry.ProtocolRegistry;
import oskr.sim.Checks;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Execution;
import oskr.sim.Reorder;
import oskr.sim.Rewrite;
import oskr.sim.RunStatus;
import oskr.sim.SeededRandomness;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * The proof scenarios of PBFT on the project's simulator ({@link Simulation}): seeded and
 * reproducible, each ending with the simulator's checks that all correct replicas executed the same
 * operations at the same op numbers, each at most once, and that clients accepted only results
 * replicas produced. Replay one seed with {@code -Dsim.seed=N}.
 */
class PbftSimulationTest {
  static final Duration LIMIT = Duration.ofSeconds(120);

  static LongStream seeds() {
    String replay = System.getProperty("sim.seed");
    return replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, 3);
  }

  static Options options(Scheme scheme) {
    return Options.defaults()
        .withScheme(scheme)
        .withBatchSizeMax(4)
        .withSettings(PbftSettings.checkpoints(8, 16));
  }

  static SimulationBuilder<PbftMessage> builder(long seed, int n, int f, Scheme scheme) {
    return Simulation.builder(Pbft.INSTANCE, seed)
        .replicas(n, f)
        .clients(3)
        .opsPerClient(30)
        .options(options(scheme))
        .app(replica -> new LogApp(false));
  }

  static PbftReplica replica(Simulation<PbftMessage> sim, int index) {
    return (PbftReplica) sim.replica(index);
  }

  /** Runs until every client is done; checks safety over the executions of {@code correct}. */
  static void runAndCheck(Simulation<PbftMessage> sim, Set<Integer> correct) {
    runAndCheck(sim, correct, LIMIT);
  }

  /** {@link #runAndCheck(Simulation, Set)} with a tighter bound on the virtual time to finish. */
  static void runAndCheck(Simulation<PbftMessage> sim, Set<Integer> correct, Duration limit) {
    RunStatus status = sim.runUntil(sim::allClientsDone, limit);
    assertThat(status)
        .as("seed %d: %s", sim.seed(), sim.traceTail(30))
        .isEqualTo(RunStatus.SATISFIED);
    check(sim, correct);
  }

  /**
   * The checks every run ends with: {@code correct} replicas agree and execute each op at most
   * once, clients accepted only executed results, all operations completed, nothing forged ran.
   */
  static void check(Simulation<PbftMessage> sim, Set<Integer> correct) {
    List<Execution> executions =
        sim.executions().stream().filter(e -> correct.contains(e.replica())).toList();
    assertThat(Checks.agreement(executions)).isEmpty();
    assertThat(Checks.exactlyOnce(executions)).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), sim.executions())).isEmpty();
    assertThat(Checks.allCompleted(sim.history())).isEmpty();
    assertThat(executions).noneMatch(e -> e.op().utf8String().startsWith("forged"));
  }

  /** Every node's address except {@code address}: the other side of a partition cutting it off. */
  static Set<Address> allBut(Simulation<PbftMessage> sim, Address address) {
    Set<Address> others = new HashSet<>();
    for (int i = 0; i < sim.replicaCount(); i++) others.add(sim.replicaAddress(i));
    for (int i = 0; i < sim.clientCount(); i++) others.add(sim.clientAddress(i));
    others.remove(address);
    return others;
  }

  /** The replicas' indexes other than {@code faulty}. */
  static Set<Integer> allBut(int n, int faulty) {
    Set<Integer> correct = new HashSet<>();
    for (int i = 0; i < n; i++) if (i != faulty) correct.add(i);
    return correct;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void normalCaseWithSeveralClients(long seed) {
    Simulation<PbftMessage> sim = builder(seed, 4, 1, Scheme.ED25519).clients(5).build();
    runAndCheck(sim, Set.of(0, 1, 2, 3));
    for (int i = 0; i < 4; i++) assertThat(replica(sim, i).view()).isZero();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void dropsDuplicatesAndReordering(long seed) {
    Simulation<PbftMessage> sim =
        builder(seed, 4, 1, Scheme.HMAC)
            .filter(new Drop(0.03))
            .filter(new Duplicate(0.05))
            .filter(new Reorder(0.2, Duration.ofMillis(10)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(2)))
            .build();
    sim.runUntil(() -> sim.completedOperations() >= 45, LIMIT);
    sim.heal(); // liveness needs the network back; safety held throughout
    runAndCheck(sim, Set.of(0, 1, 2, 3));
  }

  /** Signatures (TOCS §4 view change, certificates) and MACs (TOCS §5.2, claims). */
  static List<Scheme> schemes() {
    return List.of(Scheme.ED25519, Scheme.HMAC);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void primaryCrashLeadsToAViewChangeAndProgress(Scheme scheme) {
    Simulation<PbftMessage> sim = builder(11, 4, 1, scheme).build();
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    sim.crash(sim.replicaAddress(0), true);
    runAndCheck(sim, Set.of(1, 2, 3));
    for (int i = 1; i < 4; i++) assertThat(replica(sim, i).view()).isEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void twoViewChangesInARowWhenTheNextPrimaryIsDownToo(Scheme scheme) {
    Simulation<PbftMessage> sim = builder(12, 7, 2, scheme).build();
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    sim.crash(sim.replicaAddress(0), true);
    sim.crash(sim.replicaAddress(1), true);
    runAndCheck(sim, Set.of(2, 3, 4, 5, 6));
    for (int i = 2; i < 7; i++) assertThat(replica(sim, i).view()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void backupCutOffAcrossCheckpointsCatchesUpByStateTransfer(Scheme scheme) {
    LogApp[] apps = new LogApp[4];
    Simulation<PbftMessage> sim =
        builder(13, 4, 1, scheme).opsPerClient(60).app(i -> apps[i] = new LogApp(false)).build();
    sim.runUntil(() -> sim.completedOperations() >= 10, LIMIT);
    Address cut = sim.replicaAddress(3);
    sim.partition(Set.of(cut), allBut(sim, cut));
    sim.runUntil(() -> sim.completedOperations() >= 120, LIMIT);
    long stableWhileCut = replica(sim, 0).checkpoints.stableSeq();
    assertThat(stableWhileCut - replica(sim, 3).lastExecuted())
        .as("several checkpoints behind")
        .isGreaterThan(3 * 8);
    sim.heal();
    runAndCheck(sim, Set.of(0, 1, 2, 3), Duration.ofSeconds(60));
    sim.runFor(Duration.ofMillis(500));
    PbftReplica lagging = replica(sim, 3);
    assertThat(lagging.checkpoints.stableSeq()).isGreaterThan(stableWhileCut);
    assertThat(apps[3].offset()).as("installed a snapshot").isPositive();
    for (int i = 0; i < 3; i++) {
      assertThat(replica(sim, i).checkpoints.stableDigest())
          .isEqualTo(lagging.checkpoints.stableDigest());
    }
    assertThat(
            sim.receiveDrops(sim.replicaAddress(3))
                .get(Simulation.REJECTED + StateTransfer.CHUNK_MISMATCH))
        .isZero();
    assertThat(lagging.drops().get(StateTransfer.BAD_SNAPSHOT)).isZero();
  }

  /** Replica 0 sends replicas 2 and 3 each its own batch for every sequence number of view 0. */
  @ParameterizedTest
  @MethodSource("schemes")
  void byzantinePrimaryEquivocatesAndIsReplaced(Scheme scheme) {
    long seed = 14;
    Crypto primary = new Crypto(new oskr.sim.SimKeys(seed, 4, scheme).replica(0));
    Rewrite equivocate =
        Rewrite.messages(
            "primary equivocates",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              int target = SimulationBuilder.replicaConfig(4, 1).indexOf(packet.to());
              if (!(message instanceof PrePrepare m) || m.view() != 0 || target < 2) {
                return message;
              }
              Bytes op = Bytes.utf8("forged-" + target + "-" + m.seq());
              List<Request> batch = List.of(new Request(666, m.seq(), packet.from(), op));
              PrePrepare other =
                  new PrePrepare(0, m.seq(), Batches.digest(batch, primary), batch, Bytes.EMPTY);
              return other.withAuth(Auth.agreementAuth(primary, other::encodeSigned));
            });
    Simulation<PbftMessage> sim = builder(seed, 4, 1, scheme).filter(equivocate).build();
    runAndCheck(sim, Set.of(1, 2, 3));
    assertThat(equivocate.rewritten()).isPositive();
    assertThat(replica(sim, 1).view()).isPositive();
    assertThat(replica(sim, 1).view()).isEqualTo(replica(sim, 2).view());
  }

  /**
   * With MACs a VIEW-CHANGE's P entries are claims nobody can check. Replica 3 claims a made-up
   * batch, prepared in the latest view possible, at every sequence number it prepared, with Q
   * entries to match, and signs it. Primary 0 is cut off for 2 s, so new primaries first hold only
   * 1, 2 and 3's VIEW-CHANGEs. For view 1 the lie and the truth (both of view 0) challenge each
   * other (A1) and primary 1 waits until the timers move everyone to view 2; there the lie claims
   * view 1, above the truth, and primary 2 waits again; once 0 is back, its VIEW-CHANGE lets A1
   * hold for the truth, and A2 (f+1 replicas pre-prepared it) holds for the truth only. Planting A2
   * away makes primary 2 choose the lie over batches that had committed, which the replicas' safety
   * check in {@code ViewChanges.enterView} reports (checked by hand).
   */
  @SuppressWarnings("unchecked")
  private static final ByzantineAdapter<PbftMessage> LIAR =
      ((SimulationTarget<PbftMessage>) ProtocolRegistry.findTarget("pbft").orElseThrow())
          .adapter()
          .orElseThrow();

  @Test
  void madeUpClaimsInAViewChangeAreNotChosen() {
    long seed = 17;
    Crypto liar = new Crypto(new oskr.sim.SimKeys(seed, 4, Scheme.HMAC).replica(3));
    Rewrite lie =
        Rewrite.messages(
            "replica 3 claims made-up batches",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (!(message instanceof ViewChange m)
                  || m.replica() != 3
                  || m.prepared().isEmpty()) {
                return message;
              }
              // The simulation harness's Byzantine lie: made-up batches, re-signed by replica 3.
              return LIAR.rewrite(
                  Behaviour.LIE_DIGEST, m, 3, packet.to(), liar, new SeededRandomness(random));
            });
    Simulation<PbftMessage> sim =
        builder(seed, 4, 1, Scheme.HMAC).opsPerClient(40).filter(lie).build();
    sim.runUntil(() -> sim.completedOperations() >= 20, LIMIT);
    Set<Address> others =
        Set.of(
            sim.replicaAddress(1),
            sim.replicaAddress(2),
            sim.replicaAddress(3),
            sim.clientAddress(0),
            sim.clientAddress(1),
            sim.clientAddress(2));
    sim.partition(Set.of(sim.replicaAddress(0)), others);
    sim.runFor(Duration.ofMillis(2000));
    assertThat(lie.rewritten()).as("the lie was told").isPositive();
    sim.heal();
    runAndCheck(sim, Set.of(0, 1, 2));
    assertThat(sim.executions()).noneMatch(e -> e.op().utf8String().startsWith("made up by"));
    assertThat(replica(sim, 1).view()).isEqualTo(2);
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void corruptedSignaturesAreIgnoredAndCounted(Scheme scheme) {
    Rewrite corrupt =
        Rewrite.messages(
            "corrupt replica 2's prepares",
            Pbft.INSTANCE,
            (packet, message, random) -> {
              if (!(message instanceof Prepare m) || m.replica() != 2) return message;
              byte[] auth = m.auth().toArray();
              // With MACs, a receiver checks only its own entry of the authenticator.
              int target = SimulationBuilder.replicaConfig(4, 1).indexOf(packet.to());
              int from = scheme == Scheme.HMAC ? 32 * target : 0;
              int length = scheme == Scheme.HMAC ? 32 : auth.length;
              auth[from + random.nextInt(length)] ^= 1;
              return m.withAuth(Bytes.adopt(auth));
            });
    Simulation<PbftMessage> sim = builder(15, 4, 1, scheme).filter(corrupt).build();
    runAndCheck(sim, Set.of(0, 1, 2, 3));
    long rejected = 0;
    for (int i = 0; i < 4; i++) {
      rejected +=
          sim.receiveDrops(sim.replicaAddress(i)).get(Simulation.REJECTED + Pbft.BAD_SIGNATURE);
    }
    assertThat(rejected).isEqualTo(corrupt.rewritten()).isGreaterThan(20);
  }

  @Test
  void aSeedRunTwiceGivesOneTrace() {
    String first = faultyRun(16).traceHash();
    assertThat(faultyRun(16).traceHash()).isEqualTo(first);
  }

  private static Simulation<PbftMessage> faultyRun(long seed) {
    Simulation<PbftMessage> sim =
        builder(seed, 4, 1, Scheme.HMAC)
            .filter(new Drop(0.05))
            .filter(new Reorder(0.2, Duration.ofMillis(5)))
            .build();
    sim.runUntil(sim::allClientsDone, LIMIT);
    return sim;
  }
}
