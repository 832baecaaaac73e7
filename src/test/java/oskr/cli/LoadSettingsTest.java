package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** A client count the process cannot open sockets for is refused before the run, in one line. */
class LoadSettingsTest {
  @Test
  void clientsBeyondTheFileLimitAreRefusedWithTheLimitNamed() {
    assertThat(LoadSettings.socketShortage(100_000, 20_000, 50))
        .contains(
            "-t 100000 needs a socket per client, and this process may open 20000 files (ulimit"
                + " -n): raise the limit or run at most 19694 clients");
    assertThat(LoadSettings.socketShortage(19_694, 20_000, 50)).isEmpty();
    assertThat(LoadSettings.socketShortage(10, 100, 90))
        .get()
        .asString()
        .endsWith("at most 0 clients");
  }

  @Test
  void benchRefusesTooManyClientsBeforeStartingAnything() {
    assumeTrue(
        ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
            && os.getMaxFileDescriptorCount() < LoadSettings.CLIENTS_MAX,
        "the file limit (ulimit -n) allows a socket for each of 100000 clients here");
    CliRun run = CliRun.of("bench", "-m", "unreplicated", "-t", "100000", "-d", "1");
    assertThat(run.exitCode()).isEqualTo(Oskr.EXIT_OPERATOR_ERROR);
    assertThat(run.errLines())
        .singleElement()
        .asString()
        .startsWith("oskr: -t 100000 needs a socket per client");
    assertThat(Processes.runningDescendants()).isEmpty();
  }
}
