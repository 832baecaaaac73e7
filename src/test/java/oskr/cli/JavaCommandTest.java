package oskr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The child JVMs' command lines: benchmark processes get a fixed heap unless the user chose one.
 */
class JavaCommandTest {
  @Test
  void benchProcessesGetTheFixedHeapByDefault() {
    assertThat(JavaCommand.benchHeapFlags(null)).isEqualTo(JavaCommand.BENCH_HEAP_FLAGS);
    assertThat(JavaCommand.benchHeapFlags("-Doskr.log=INFO -XX:+DumpPerfMapAtExit"))
        .isEqualTo(JavaCommand.BENCH_HEAP_FLAGS);
  }

  @Test
  void aCollectorOrHeapInTheUsersFlagsWins() {
    assertThat(JavaCommand.benchHeapFlags("-XX:+UseG1GC")).isEmpty();
    assertThat(JavaCommand.benchHeapFlags("-Xmx2g")).isEmpty();
    assertThat(JavaCommand.benchHeapFlags("-Xms1g -Doskr.log=INFO")).isEmpty();
  }

  @Test
  void otherChildProcessesKeepTheJvmDefaults() {
    List<String> command = JavaCommand.oskr(List.of("replica", "-h"));
    assertThat(command).doesNotContainAnyElementsOf(JavaCommand.BENCH_HEAP_FLAGS);
    assertThat(command.subList(command.size() - 3, command.size()))
        .containsExactly(Oskr.class.getName(), "replica", "-h");
  }
}
