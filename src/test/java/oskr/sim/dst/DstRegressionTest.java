package oskr.sim.dst;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import oskr.registry.ProtocolRegistry;

/**
 * Seeds that once failed, each replayed exactly as {@code oskr simulate -m TARGET --seed S} runs
 * it: a fix must keep them passing whatever the suite's seed range is.
 */
class DstRegressionTest {
  @ParameterizedTest(name = "{0} seed {1}: {2}")
  @CsvSource({
    // Issue 10: with MACs a batch committed at one correct replica only (the others lost its
    // PREPARE or COMMIT) could not be fetched with f+1 claims; replicas looped on FETCH-LOG.
    "pbft-hmac, 901194, a batch committed at one replica only",
  })
  void passes(String target, long seed, String why) {
    DstResult result =
        DstRun.run(ProtocolRegistry.findTarget(target).orElseThrow(), seed, line -> {});
    assertThat(result.passed()).as(result.report()).isTrue();
  }
}
