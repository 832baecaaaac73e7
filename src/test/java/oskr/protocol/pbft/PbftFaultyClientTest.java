package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.sim.Checks;
import oskr.sim.ClientOperation;
import oskr.sim.Execution;
import oskr.sim.Rewrite;
import oskr.sim.RunStatus;
import oskr.sim.Simulation;
import oskr.sim.SimulationBuilder;

/**
 * A faulty client cannot force view changes (the "big MAC" attack on PBFT's MAC authenticators):
 * client 0's requests carry an authenticator whose entries for replicas {@code from} and up are
 * wrong, so only the primary (and the backups below {@code from}) can authenticate them. Backups
 * must not blame the primary for that: the view stays 0 and the correct clients keep completing; a
 * request that only the primary can authenticate never executes.
 */
class PbftFaultyClientTest {
  static final int CLIENTS = 5;
  static final int OPS_PER_CLIENT = 40;
  static final Address FAULTY = SimulationBuilder.clientAddress(0);

  /** Flips one bit in each of client 0's authenticator entries for replicas {@code from} and up. */
  static Rewrite corruptEntries(int from) {
    return Rewrite.messages(
        "client 0's MACs for replicas " + from + ".. are wrong",
        Pbft.INSTANCE,
        (packet, message, random) -> {
          if (!(message instanceof Request m) || !m.client().equals(FAULTY)) return message;
          byte[] auth = m.auth().toArray();
          for (int replica = from; replica < 4; replica++) auth[replica * 32 + 7] ^= 1;
          return m.withAuth(m.clientKey(), Bytes.adopt(auth));
        });
  }

  /** Counts, unchanged, the REJECTs and the primary's null PRE-PREPAREs sent in view 0. */
  static final class Counter {
    long rejects;
    long nullPrePrepares;

    Rewrite filter() {
      return Rewrite.messages(
          "count rejects and null requests",
          Pbft.INSTANCE,
          (packet, message, random) -> {
            if (message instanceof Reject) rejects++;
            if (message instanceof PrePrepare m && m.view() == 0 && m.batch().isEmpty()) {
              nullPrePrepares++;
            }
            return message;
          });
    }
  }

  static long completedByCorrectClients(Simulation<PbftMessage> sim) {
    return sim.history().stream().filter(op -> op.client() != 0 && op.isCompleted()).count();
  }

  /** 1: valid only at the primary; 2: at the primary and backup 1; 3: at all but backup 3. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aClientWithWrongMacsForBackupsForcesNoViewChange(int from) {
    for (long seed = 1; seed <= 3; seed++) runWithFaultyClient(seed, from);
  }

  private static void runWithFaultyClient(long seed, int from) {
    Rewrite corrupt = corruptEntries(from);
    Counter counter = new Counter();
    Simulation<PbftMessage> sim =
        PbftSimulationTest.builder(seed, 4, 1, Scheme.HMAC)
            .clients(CLIENTS)
            .opsPerClient(OPS_PER_CLIENT)
            .filter(corrupt)
            .filter(counter.filter())
            .build();
    long correctOps = (CLIENTS - 1) * (long) OPS_PER_CLIENT;
    RunStatus status =
        sim.runUntil(() -> completedByCorrectClients(sim) >= correctOps, Duration.ofSeconds(30));
    assertThat(status)
        .as(
            "seed %d, MACs wrong from replica %d: correct clients completed %d: %s",
            seed, from, completedByCorrectClients(sim), sim.traceTail(20))
        .isEqualTo(RunStatus.SATISFIED);
    assertThat(corrupt.rewritten()).isPositive();
    for (int i = 0; i < 4; i++) {
      assertThat(PbftSimulationTest.replica(sim, i).view())
          .as("seed %d, MACs wrong from replica %d: view of replica %d", seed, from, i)
          .isZero();
    }
    List<Execution> executions = sim.executions();
    assertThat(Checks.agreement(executions)).isEmpty();
    assertThat(Checks.exactlyOnce(executions)).isEmpty();
    assertThat(Checks.acceptedResultsExecuted(sim.history(), executions)).isEmpty();
    long unverified = 0;
    for (int i = 1; i < 4; i++) {
      unverified += PbftSimulationTest.replica(sim, i).drops().get(PrePrepares.UNVERIFIED_REQUESTS);
    }
    assertThat(unverified).as("backups that could not authenticate a batch").isPositive();
    if (from == 1) {
      // Only the primary could authenticate them: no f+1 replicas vouch, nothing executes; the
      // backups reject the batches and the primary orders the null request in their place.
      assertThat(executions).noneMatch(e -> e.op().utf8String().startsWith("c0-"));
      assertThat(sim.history().stream().filter(op -> op.client() == 0))
          .noneMatch(ClientOperation::isCompleted);
      assertThat(counter.rejects).isPositive();
      assertThat(counter.nullPrePrepares).isPositive();
    } else {
      // Backup 1 (and 2) authenticate them: their PREPAREs vouch for the batch at the others.
      assertThat(counter.rejects).isZero();
      assertThat(counter.nullPrePrepares).isZero();
    }
  }

  /**
   * One backup fed directly: it holds a PRE-PREPARE whose request it cannot authenticate, waits for
   * vouching PREPAREs, then rejects it, and from then on neither f nor 2f PREPAREs make it accept
   * that batch; only the null request takes its sequence number.
   */
  @Test
  void aRejectedPrePrepareIsNeverAcceptedOnlyTheNullRequestReplacesIt() {
    Simulation<PbftMessage> sim =
        Simulation.builder(Pbft.INSTANCE, 5)
            .replicas(4, 1)
            .clients(0)
            .options(PbftSimulationTest.options(Scheme.HMAC))
            .build();
    PbftReplica backup = PbftSimulationTest.replica(sim, 1);
    Address primary = sim.replicaAddress(0);
    Crypto client = new Crypto(sim.keys().client(0));
    Request valid = Auth.authenticate(client, new Request(9, 1, FAULTY, Bytes.utf8("x")), 4);
    byte[] auth = valid.auth().toArray();
    for (int replica = 1; replica < 4; replica++) auth[replica * 32] ^= 1;
    Request bad = valid.withAuth(valid.clientKey(), Bytes.adopt(auth));
    List<Request> batch = List.of(bad);
    PrePrepare rejected = new PrePrepare(0, 1, Batches.digest(batch, client), batch, Bytes.EMPTY);

    backup.onMessage(primary, rejected);
    sim.runFor(Duration.ofMillis(1));
    Slot slot = backup.existingSlot(1);
    assertThat(slot.prePrepare()).isNull();
    assertThat(slot.hold()).isEqualTo(Slot.Hold.UNVERIFIED);
    sim.runFor(backup.prePrepares.vouchWait().multipliedBy(2).plusMillis(5));
    assertThat(slot.hold()).isEqualTo(Slot.Hold.REJECTED);
    // The real primary never sent that batch: the REJECT names nothing of its own.
    assertThat(PbftSimulationTest.replica(sim, 0).drops().get(Requests.STALE_REJECT)).isEqualTo(1);

    for (int replica = 2; replica < 4; replica++) {
      backup.onMessage(
          sim.replicaAddress(replica), new Prepare(0, 1, rejected.digest(), replica, Bytes.EMPTY));
    }
    assertThat(slot.prePrepare()).as("vouched for after the promise").isNull();
    backup.onMessage(
        primary, new PrePrepare(0, 1, new Digest(1, 2, 3, 4), List.of(valid), Bytes.EMPTY));
    assertThat(backup.drops().get(PbftReplica.CONFLICTING_PRE_PREPARE)).isEqualTo(1);
    backup.onMessage(primary, new PrePrepare(0, 1, Batches.NULL_DIGEST, List.of(), Bytes.EMPTY));
    sim.runFor(Duration.ofMillis(1));
    assertThat(slot.prePrepare().batch()).isEmpty();
    assertThat(slot.prepareSent).isTrue();
  }

  /** The same backup accepts the batch at once if f PREPAREs vouch for it before it rejects. */
  @Test
  void fPreparesVouchForABatchABackupCannotAuthenticate() {
    Simulation<PbftMessage> sim =
        Simulation.builder(Pbft.INSTANCE, 6)
            .replicas(4, 1)
            .clients(0)
            .options(PbftSimulationTest.options(Scheme.HMAC))
            .build();
    PbftReplica backup = PbftSimulationTest.replica(sim, 1);
    Crypto client = new Crypto(sim.keys().client(0));
    Request valid = Auth.authenticate(client, new Request(9, 1, FAULTY, Bytes.utf8("x")), 4);
    byte[] auth = valid.auth().toArray();
    auth[32] ^= 1; // only replica 1's entry is wrong
    List<Request> batch = List.of(valid.withAuth(valid.clientKey(), Bytes.adopt(auth)));
    PrePrepare m = new PrePrepare(0, 1, Batches.digest(batch, client), batch, Bytes.EMPTY);

    backup.onMessage(sim.replicaAddress(0), m);
    sim.runFor(Duration.ofMillis(1));
    Slot slot = backup.existingSlot(1);
    assertThat(slot.hold()).isEqualTo(Slot.Hold.UNVERIFIED);
    backup.onMessage(sim.replicaAddress(2), new Prepare(0, 1, m.digest(), 2, Bytes.EMPTY));
    assertThat(slot.prePrepare()).isEqualTo(m);
    assertThat(slot.prepareSent).as("its own PREPARE is on its way").isTrue();
  }
}
