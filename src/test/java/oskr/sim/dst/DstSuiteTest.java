package oskr.sim.dst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.registry.ProtocolRegistry;

/**
 * The fixed seed budget of deterministic simulation testing, for every registered protocol: a
 * protocol counts as done only once it passes here. {@code -Dsim.seed=N} replays one seed of every
 * protocol; {@code oskr simulate -m PROTO --seeds N} runs a longer range.
 */
class DstSuiteTest {
  /** Seeds per protocol in the suite. */
  static final long SEEDS = Long.getLong("dst.seeds", 300);

  static Stream<Arguments> seeds() {
    String replay = System.getProperty("sim.seed");
    LongStream seeds =
        replay != null ? LongStream.of(Long.parseLong(replay)) : LongStream.rangeClosed(1, SEEDS);
    return seeds
        .boxed()
        .flatMap(
            seed ->
                ProtocolRegistry.simulationTargets().stream()
                    .map(target -> Arguments.of(target.name(), seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("seeds")
  void everyPropertyHolds(String protocol, long seed) {
    DstResult result =
        DstRun.run(ProtocolRegistry.findTarget(protocol).orElseThrow(), seed, line -> {});
    assertThat(result.passed()).as(result.report()).isTrue();
  }
}
