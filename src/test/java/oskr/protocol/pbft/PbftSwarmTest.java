package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

/**
 * Seeded swarm runs: the seed picks a fault mix (drops, duplicates, reordering, a crashed replica,
 * a backup cut off and healed, the scheme and batch size); afterwards the network heals and every
 * client must finish, with all correct replicas agreeing. Replay one with its seed.
 */
class PbftSwarmTest {
  static LongStream seeds() {
    // More on demand: -Dpbft.swarm.seeds=500; one: -Dpbft.swarm.seed=116
    Long one = Long.getLong("pbft.swarm.seed");
    if (one != null) return LongStream.of(one);
    return LongStream.range(100, 100 + Long.getLong("pbft.swarm.seeds", 12));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void agreementAndProgressUnderAFaultMix(long seed) {
    Random mix = new Random(seed);
    Scheme scheme = mix.nextBoolean() ? Scheme.ED25519 : Scheme.HMAC;
    Options options =
        Options.defaults()
            .withScheme(scheme)
            .withBatchSizeMax(1 + mix.nextInt(8))
            .withCheckpoints(4 << mix.nextInt(2), 16);
    Net net = new Net(seed, 1, options, true);
    net.dropRate = mix.nextDouble() * 0.05;
    net.duplicateRate = mix.nextDouble() * 0.1;
    net.delayMaxMicros = 2000 + mix.nextInt(20_000);
    Workload workload = new Workload(net, 1 + mix.nextInt(4), 25);
    workload.start();
    net.runUntil(() -> workload.completed() >= 10, Duration.ofSeconds(30));
    int faulty = mix.nextInt(4);
    int kind = mix.nextInt(3);
    switch (kind) {
      case 0 -> net.replicas.get(faulty).crashed = true;
      case 1 -> net.isolated[faulty] = true;
      default -> net.interceptor = new Equivocator(net, faulty);
    }
    net.runFor(Duration.ofMillis(500 + mix.nextInt(2000)));
    net.isolated[faulty] = false;
    net.dropRate = 0;
    boolean crash = kind != 1; // a crashed or Byzantine replica is not checked
    String what =
        "seed "
            + seed
            + " "
            + scheme
            + " "
            + List.of("crash", "cut", "equivocate").get(kind)
            + " r"
            + faulty;
    assertThat(net.runUntil(workload::done, Duration.ofSeconds(120)))
        .as("%s: completed %d%s", what, workload.completed(), net.describe())
        .isTrue();
    int[] correct =
        crash
            ? java.util.stream.IntStream.range(0, 4).filter(i -> i != faulty).toArray()
            : new int[] {0, 1, 2, 3};
    Workload.checkAgreement(net, correct);
    for (int i : correct) {
      assertThat(net.apps.get(i).history())
          .as("%s: r%d executed a forged op", what, i)
          .noneMatch(op -> op.utf8String().startsWith("forged"));
    }
  }
}
