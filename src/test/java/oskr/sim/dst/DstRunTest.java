package oskr.sim.dst;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Client;
import oskr.protocol.Drops;
import oskr.protocol.SimulationTarget;
import oskr.protocol.TimerKey;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.registry.ProtocolRegistry;

/** One run and a range of runs: reproducible, reported, and a liveness bug is caught. */
class DstRunTest {
  private static final SimulationTarget<?> PLAIN =
      ProtocolRegistry.findTarget(Unreplicated.PLAIN.name()).orElseThrow();

  @Test
  void aSeedRunTwiceGivesOneTraceAndOneResult() {
    for (long seed = 1; seed <= 5; seed++) {
      List<String> first = new ArrayList<>();
      List<String> second = new ArrayList<>();
      DstResult a = DstRun.run(PLAIN, seed, first::add);
      DstResult b = DstRun.run(PLAIN, seed, second::add);
      assertThat(second).isEqualTo(first);
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void theFaultsOfAScenarioHappenAndHeal() {
    List<String> trace = new ArrayList<>();
    Scenario scenario = null;
    for (long seed = 1; scenario == null; seed++) {
      Scenario drawn = Scenario.draw(PLAIN, seed);
      boolean rich =
          drawn.episodes().stream().anyMatch(e -> e instanceof Episode.Pause)
              && drawn.episodes().stream().anyMatch(e -> e instanceof Episode.Cut)
              && drawn.network().drop() > 0;
      if (rich) scenario = drawn;
    }
    DstResult result = DstRun.run(PLAIN, scenario, trace::add);
    assertThat(result.passed()).as(result.report()).isTrue();
    assertThat(trace)
        .anyMatch(line -> line.contains("fault: pause"))
        .anyMatch(line -> line.contains("add filter Partition"))
        .anyMatch(line -> line.contains("(drop)"));
  }

  /** A client that never resends: a lost request or reply leaves it waiting forever. */
  private static final class DeafClient implements Client<UnreplicatedMessage> {
    private final Client<UnreplicatedMessage> inner;

    DeafClient(Client<UnreplicatedMessage> inner) {
      this.inner = inner;
    }

    @Override
    public void invoke(Bytes op) {
      inner.invoke(op);
    }

    @Override
    public boolean busy() {
      return inner.busy();
    }

    @Override
    public Drops drops() {
      return inner.drops();
    }

    @Override
    public void onMessage(Address from, UnreplicatedMessage message) {
      inner.onMessage(from, message);
    }

    @Override
    public void onTimer(TimerKey key) {}
  }

  @Test
  void aClientThatNeverResendsBreaksLivenessAndTheRunnerReportsIt() {
    SimulationTarget<UnreplicatedMessage> mutant =
        MutantProtocol.of(Unreplicated.PLAIN, "a client that never resends")
            .withClients(setup -> new DeafClient(Unreplicated.PLAIN.client(setup)))
            .target();
    DstResult failure = PlantedBugs.firstFailure(mutant, 20).orElseThrow();
    assertThat(failure.violation().orElseThrow().property()).isEqualTo(Violation.Property.LIVENESS);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit = DstRunner.range(mutant, 1, 20, out, new PrintStream(new ByteArrayOutputStream()));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).isEqualTo(DstRunner.EXIT_FAILED);
    assertThat(text)
        .contains(
            "FAILED unreplicated with a client that never resends seed "
                + failure.seed()
                + ": liveness",
            "outstanding: client",
            "last trace lines",
            "replay: oskr simulate -m");
  }

  @Test
  void aPassingRangePrintsItsSeedsAndNothingThatVariesBetweenRuns() {
    String first = range(3, 12);
    assertThat(first)
        .contains("12 seeds from 3", "all 12 seeds passed (3 to 14)")
        .doesNotContain("wall-clock");
    assertThat(range(3, 12)).isEqualTo(first);
  }

  private static String range(long first, long count) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit =
        DstRunner.range(PLAIN, first, count, out, new PrintStream(new ByteArrayOutputStream()));
    assertThat(exit).isEqualTo(DstRunner.EXIT_OK);
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
