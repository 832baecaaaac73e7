package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code oskr simulate}: one seed replays exactly; a range prints its progress and verdict. */
class SimulateCommandTest {
  @Test
  void aSeedAloneReplaysOneRunWithTheSameOutputEachTime() {
    CliRun first = CliRun.of("simulate", "-m", "unreplicated-signed", "--seed", "7");
    CliRun second = CliRun.of("simulate", "-m", "unreplicated-signed", "--seed", "7");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("scenario of seed 7:")
        .contains("passed unreplicated-signed seed 7");
    assertThat(second.out()).isEqualTo(first.out());
  }

  @Test
  void traceShowsEveryEvent() {
    CliRun run = CliRun.of("simulate", "-m", "unreplicated", "--seed", "7", "--trace");
    assertThat(run.out()).contains("simulation unreplicated seed 7", "invoke sim-client-0:1 c0#1");
  }

  @Test
  void seedsRunsARangeFromTheSeedGiven() {
    CliRun run = CliRun.of("simulate", "-m", "unreplicated", "--seeds", "5", "--seed", "100");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("5 seeds from 100", "all 5 seeds passed (100 to 104)");
    assertThat(run.err()).contains("5 seeds in");
  }

  @Test
  void withoutASeedARandomOneIsDrawnAndPrinted() {
    CliRun run = CliRun.of("simulate", "-m", "unreplicated", "--seeds", "2");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("random seed ").contains("all 2 seeds passed");
  }

  @Test
  void aNonPositiveSeedCountIsAUsageError() {
    CliRun run = CliRun.of("simulate", "-m", "unreplicated", "--seeds", "0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("oskr: --seeds must be at least 1");
  }

  @Test
  void traceWithASeedRangeIsAUsageErrorRatherThanIgnored() {
    CliRun run = CliRun.of("simulate", "-m", "unreplicated", "--seeds", "3", "--trace");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("oskr: --trace prints one run");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownTargetIsAUsageErrorNamingTheTargets() {
    CliRun run = CliRun.of("simulate", "-m", "paxos", "--seed", "1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("oskr: no simulation testing for 'paxos', expected one of ");
    assertThat(run.err()).contains("unreplicated");
  }
}
