package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.sim.ProbeProtocol.Note;
import oskr.sim.ProbeProtocol.ProbeReplica;
import oskr.sim.ProbeProtocol.Tick;

/** Timers, jobs, crashes and the receive path, seen from one probe replica. */
class SimulationNodeTest {
  private static final Address FORGER = new Address("sim-forger", 1);

  private final ProbeProtocol probe = new ProbeProtocol();
  private final Simulation<Note> sim =
      Simulation.builder(probe, 7)
          .clients(0)
          .latency(new Latency(Duration.ofMillis(1), Duration.ZERO))
          .build();
  private final Address replicaAddress = sim.replicaAddress(0);

  {
    probe.clock = sim::nowNanos;
  }

  private ProbeReplica replica() {
    return (ProbeReplica) sim.replica(0);
  }

  private void at(long millis, Runnable action) {
    sim.after(Duration.ofMillis(millis).minusNanos(sim.nowNanos()), "test action", action);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void timersFireInDeadlineOrderAtTheirDeadlines() {
    at(
        1,
        () -> {
          replica().context.setTimer(new Tick("late"), ms(30));
          replica().context.setTimer(new Tick("early"), ms(10));
          replica().context.setTimer(new Tick("middle"), ms(20));
        });
    sim.runFor(ms(100));
    assertThat(replica().log)
        .containsExactly("11ms timer early", "21ms timer middle", "31ms timer late");
  }

  @Test
  void rearmingATimerReplacesIt() {
    at(1, () -> replica().context.setTimer(new Tick("a"), ms(10)));
    at(5, () -> replica().context.setTimer(new Tick("a"), ms(20)));
    sim.runFor(ms(100));
    assertThat(replica().log).containsExactly("25ms timer a");
  }

  @Test
  void cancelledTimersNeverFireAndCancellingAnUnarmedOneIsHarmless() {
    at(
        1,
        () -> {
          replica().context.setTimer(new Tick("cancelled"), ms(10));
          replica().context.setTimer(new Tick("kept"), ms(10));
          replica().context.cancelTimer(new Tick("cancelled"));
          replica().context.cancelTimer(new Tick("never armed"));
        });
    sim.runFor(ms(100));
    assertThat(replica().log).containsExactly("11ms timer kept");
  }

  @Test
  void timersDueAtOneInstantFireInTheOrderTheyWereArmed() {
    at(
        1,
        () -> {
          for (String name : new String[] {"x", "y", "z", "w"}) {
            replica().context.setTimer(new Tick(name), ms(10));
          }
        });
    sim.runFor(ms(100));
    assertThat(replica().log)
        .containsExactly("11ms timer x", "11ms timer y", "11ms timer z", "11ms timer w");
  }

  @Test
  void jobsAndMessagesToSelfArriveAsLaterEventsNeverInsideTheCaller() {
    byte[] data = {1, 2, 3};
    at(
        1,
        () -> {
          replica().log("submit");
          replica()
              .context
              .submit(
                  crypto -> crypto.sha256().digest(data, 0, data.length),
                  (Digest digest) -> replica().log("job done " + digest));
          replica().context.send(replicaAddress, new Note(7, Bytes.EMPTY));
          replica().log("handler ends");
        });
    sim.runFor(ms(100));
    String digest = new oskr.core.crypto.Sha256().digest(data, 0, data.length).toString();
    assertThat(replica().log)
        .containsExactly(
            "1ms submit",
            "1ms handler ends",
            "1ms job done " + digest,
            "2ms note 7 from sim-replica-0");
    assertThat(sim.trace().tail(100)).anyMatch(line -> line.contains("job sim-replica-0:1 #1 ran"));
  }

  @Test
  void aCrashLosesTimersAndJobsAndDropsWhatArrivesWhileDown() {
    at(
        1,
        () -> {
          replica().context.setTimer(new Tick("before crash"), ms(10));
          replica().context.submit(crypto -> 42, result -> replica().log("job done"));
          sim.crash(replicaAddress, true);
        });
    at(2, () -> sim.inject(FORGER, replicaAddress, new Note(1, Bytes.EMPTY)));
    at(5, () -> sim.restart(replicaAddress));
    at(6, () -> sim.inject(FORGER, replicaAddress, new Note(2, Bytes.EMPTY)));
    ProbeReplica before = replica();
    sim.runFor(ms(100));
    assertThat(replica()).isSameAs(before);
    assertThat(replica().log).containsExactly("7ms note 2 from sim-forger");
    assertThat(sim.receiveDrops(replicaAddress).get(Simulation.NODE_DOWN)).isEqualTo(1);
    assertThat(sim.trace().tail(100)).anyMatch(line -> line.contains("#1 lost in a crash"));
  }

  @Test
  void aPauseKeepsTimersAndJobsDueMeanwhileForTheResumeAndDropsWhatArrives() {
    at(
        1,
        () -> {
          replica().context.setTimer(new Tick("due while paused"), ms(5));
          replica().context.setTimer(new Tick("due after resume"), ms(30));
          replica().context.submit(crypto -> 42, result -> replica().log("job done " + result));
          sim.pause(replicaAddress);
        });
    at(2, () -> sim.inject(FORGER, replicaAddress, new Note(1, Bytes.EMPTY)));
    at(20, () -> sim.resume(replicaAddress));
    ProbeReplica before = replica();
    sim.runFor(ms(100));
    assertThat(replica()).isSameAs(before);
    assertThat(replica().log)
        .containsExactly(
            "20ms timer due while paused", "20ms job done 42", "31ms timer due after resume");
    assertThat(sim.receiveDrops(replicaAddress).get(Simulation.NODE_DOWN)).isEqualTo(1);
  }

  @Test
  void aTimerDeferredByAPauseCanBeCancelledRightAfterTheResume() {
    at(
        1,
        () -> {
          replica().context.setTimer(new Tick("cancelled"), ms(5));
          replica().context.setTimer(new Tick("reset"), ms(5));
          sim.pause(replicaAddress);
        });
    at(
        20,
        () -> {
          sim.resume(replicaAddress);
          replica().context.cancelTimer(new Tick("cancelled"));
          replica().context.setTimer(new Tick("reset"), ms(10));
        });
    sim.runFor(ms(100));
    assertThat(replica().log).containsExactly("30ms timer reset");
  }

  @Test
  void timerSkewScalesTheDurationsANodeSets() {
    sim.timerSkew(replicaAddress, 2.5);
    at(1, () -> replica().context.setTimer(new Tick("slow"), ms(10)));
    sim.runFor(ms(100));
    assertThat(replica().log).containsExactly("26ms timer slow");
  }

  @Test
  void aRestartWithoutStateMakesAFreshNodeAndApp() {
    at(1, () -> sim.inject(FORGER, replicaAddress, new Note(1, Bytes.utf8("first"))));
    at(5, () -> sim.crash(replicaAddress, false));
    at(6, () -> sim.restart(replicaAddress));
    at(7, () -> sim.inject(FORGER, replicaAddress, new Note(2, Bytes.utf8("second"))));
    sim.runFor(ms(100));
    assertThat(probe.replicasMade).hasSize(2);
    assertThat(replica()).isSameAs(probe.replicasMade.get(1));
    assertThat(sim.executions())
        .extracting(Execution::incarnation, Execution::opNumber, e -> e.op().utf8String())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 1L, "first"),
            org.assertj.core.groups.Tuple.tuple(1, 1L, "second"));
  }

  @Test
  void aNodeStartsOnceAttachedAndAgainAfterEveryRestartKnowingWhetherItLostItsState() {
    at(5, () -> sim.crash(replicaAddress, true));
    at(6, () -> sim.restart(replicaAddress));
    at(10, () -> sim.crash(replicaAddress, false));
    at(11, () -> sim.restart(replicaAddress));
    sim.runFor(ms(100));
    assertThat(probe.replicasMade).hasSize(2);
    List<String> first = probe.replicasMade.get(0).starts;
    List<String> second = probe.replicasMade.get(1).starts;
    assertThat(first).hasSize(2).allMatch(start -> start.startsWith("FRESH "));
    assertThat(second).singleElement().asString().startsWith("AFTER_STATE_LOSS ");
    // The random source goes on across a restart that keeps state, and starts anew after a loss.
    assertThat(first.get(1)).isNotEqualTo(first.get(0));
    assertThat(draw(second.get(0))).isNotEqualTo(draw(first.get(0)));
  }

  @Test
  void aNodesRandomSourceIsSeededByTheRun() {
    assertThat(startsOfReplica0(7)).isEqualTo(replica().starts).hasSize(1);
    assertThat(startsOfReplica0(8)).hasSize(1).isNotEqualTo(replica().starts);
  }

  private static List<String> startsOfReplica0(long seed) {
    ProbeProtocol other = new ProbeProtocol();
    Simulation.builder(other, seed).clients(0).build();
    return other.replicasMade.get(0).starts;
  }

  private static String draw(String start) {
    return start.substring(start.indexOf(' ') + 1);
  }

  @Test
  void malformedAndRejectedFramesAreCountedAtTheReceiverNotThrown() {
    sim.injectFrame(FORGER, replicaAddress, Bytes.copyOf(new byte[] {9}));
    sim.injectFrame(FORGER, replicaAddress, Bytes.copyOf(new byte[] {1, (byte) 200, 1, 0}));
    sim.injectFrame(FORGER, replicaAddress, Bytes.copyOf(new byte[] {1, 2}));
    sim.inject(FORGER, replicaAddress, new Note(-1, Bytes.EMPTY));
    sim.inject(FORGER, new Address("nowhere", 1), new Note(1, Bytes.EMPTY));
    sim.runFor(ms(100));
    assertThat(sim.receiveDrops(replicaAddress).snapshot())
        .containsEntry(Simulation.MALFORMED + "unknown version", 1L)
        .containsEntry(Simulation.MALFORMED + "truncated", 1L)
        .containsEntry(Simulation.MALFORMED + "wrong protocol", 1L)
        .containsEntry(Simulation.REJECTED + ProbeProtocol.NEGATIVE, 1L);
    assertThat(sim.networkDrops().get(Simulation.NO_SUCH_NODE)).isEqualTo(1);
    assertThat(replica().log).isEmpty();
  }
}
