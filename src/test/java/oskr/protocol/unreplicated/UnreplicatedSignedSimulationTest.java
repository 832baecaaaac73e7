package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.sim.ClientOperation;
import oskr.sim.Delay;
import oskr.sim.Drop;
import oskr.sim.Duplicate;
import oskr.sim.Reorder;
import oskr.sim.Rewrite;
import oskr.sim.Simulation;

/** Signed Unreplicated in the simulator: the same faults, plus a network that forges results. */
class UnreplicatedSignedSimulationTest {
  static final String BAD_SIGNATURE = Simulation.REJECTED + "bad reply signature";

  /** Seeds 1..4 (signatures cost); {@code -Dsim.seed=N} replays one. */
  static LongStream seeds() {
    String replay = System.getProperty("sim.seed");
    return replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, 4);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyRequestCompletesOnceUnderDropsDuplicatesReorderingAndDelay(long seed) {
    Simulation<UnreplicatedMessage> sim =
        UnreplicatedSimulationTest.faulty(Unreplicated.SIGNED, seed);
    UnreplicatedSimulationTest.assertCorrectAndComplete(
        sim, sim.runUntil(sim::allClientsDone, UnreplicatedSimulationTest.LIMIT));
    assertThat(sim.trace().tail(UnreplicatedSimulationTest.TRACE_KEPT))
        .anyMatch(line -> line.contains("job sim-replica-0:1"));
  }

  /** Changes the result of 30% of replies and keeps the server's signature. */
  static Rewrite forger() {
    return Rewrite.messages(
        "forge 30% of results",
        Unreplicated.SIGNED,
        (packet, message, random) ->
            random.nextDouble() < 0.3 ? UnreplicatedSimulationTest.forged(message) : message);
  }

  private static Simulation<UnreplicatedMessage> forging(long seed, Rewrite forger) {
    return Simulation.builder(Unreplicated.SIGNED, seed)
        .clients(UnreplicatedSimulationTest.CLIENTS)
        .opsPerClient(UnreplicatedSimulationTest.OPS)
        .filter(new Drop(0.1))
        .filter(new Duplicate(0.1))
        .filter(new Reorder(0.2, Duration.ofMillis(10)))
        .filter(new Delay(Duration.ZERO, Duration.ofMillis(2)))
        .filter(forger)
        .build();
  }

  @Test
  void aForgedResultFailsVerificationAndIsNeverAccepted() {
    Rewrite forger = forger();
    Simulation<UnreplicatedMessage> sim = forging(21, forger);
    UnreplicatedSimulationTest.assertCorrectAndComplete(
        sim, sim.runUntil(sim::allClientsDone, UnreplicatedSimulationTest.LIMIT));
    long rejected = 0;
    for (int i = 0; i < sim.clientCount(); i++) {
      rejected += sim.receiveDrops(sim.clientAddress(i)).get(BAD_SIGNATURE);
    }
    assertThat(forger.rewritten()).isPositive();
    // The forger is the last filter, so every forged copy reaches a client and is rejected there.
    assertThat(rejected).isEqualTo(forger.rewritten());
    assertThat(sim.history())
        .map(ClientOperation::result)
        .noneMatch(result -> result.utf8String().equals("forged"));
  }

  @Test
  void aForgingRunIsReproducibleFromItsSeed() {
    Simulation<UnreplicatedMessage> first = forging(22, forger());
    Simulation<UnreplicatedMessage> second = forging(22, forger());
    first.runUntil(first::allClientsDone, UnreplicatedSimulationTest.LIMIT);
    second.runUntil(second::allClientsDone, UnreplicatedSimulationTest.LIMIT);
    assertThat(second.traceHash()).isEqualTo(first.traceHash());
    assertThat(second.history()).isEqualTo(first.history());
  }

  @Test
  void signaturesCoverTheWholeReply() {
    Reply reply = new Reply(1, 1, oskr.core.Bytes.utf8("r"), oskr.core.Bytes.EMPTY);
    assertThat(UnreplicatedSimulationTest.forged(reply)).isNotEqualTo(reply);
  }
}
