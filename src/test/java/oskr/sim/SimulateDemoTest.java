package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SimulateDemoTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private String run(String protocol, long seed, int expectedExit) {
    bytes.reset();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      assertThat(SimulateDemo.run(protocol, seed, out)).isEqualTo(expectedExit);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void plainRunPrintsTheTraceAndPassesItsChecks() {
    String output = run("unreplicated", 1, SimulateDemo.EXIT_OK);
    assertThat(output)
        .contains(
            "simulation unreplicated seed 1",
            "invoke sim-client-0:1 c0-1",
            "complete sim-client-2:1 c2-5")
        .contains("operations completed: 15 of 15", "trace hash: ", "all checks passed");
  }

  @Test
  void signedRunShowsForgedRepliesRejected() {
    String output = run("unreplicated-signed", 2, SimulateDemo.EXIT_OK);
    assertThat(output)
        .contains("replies forged: ", "rejected: bad reply signature", "all checks passed");
  }

  @Test
  void oneSeedPrintsOneRun() {
    assertThat(run("unreplicated", 3, SimulateDemo.EXIT_OK))
        .isEqualTo(run("unreplicated", 3, SimulateDemo.EXIT_OK));
  }

  @Test
  void anUnknownProtocolIsAUsageErrorListingTheKnownOnes() {
    assertThat(run("pbft-typo", 1, SimulateDemo.EXIT_USAGE))
        .contains("unreplicated, unreplicated-signed");
  }
}
