package oskr.protocol.pbft;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Scheme;
import oskr.protocol.Options;

class DebugTmpTest {
  @Test
  void show() {
    long seed = Long.getLong("s", 116);
    Random mix = new Random(seed);
    Scheme scheme = mix.nextBoolean() ? Scheme.ED25519 : Scheme.HMAC;
    Options options = Options.defaults().withScheme(scheme).withBatchSizeMax(1 + mix.nextInt(8))
        .withCheckpoints(4 << mix.nextInt(2), 16);
    Net net = new Net(seed, 1, options, true);
    net.dropRate = mix.nextDouble() * 0.05;
    net.duplicateRate = mix.nextDouble() * 0.1;
    net.delayMaxMicros = 2000 + mix.nextInt(20_000);
    Workload workload = new Workload(net, 1 + mix.nextInt(4), 25);
    workload.start();
    net.runUntil(() -> workload.completed() >= 10, Duration.ofSeconds(30));
    int faulty = mix.nextInt(4);
    boolean crash = mix.nextBoolean();
    if (crash) net.replicas.get(faulty).crashed = true; else net.isolated[faulty] = true;
    long heal = 500 + mix.nextInt(2000);
    System.out.println("drop " + net.dropRate + " delay " + net.delayMaxMicros + " fault at " + net.now/1000 + " heal after " + heal);
    long[] views = new long[4];
    java.util.function.BooleanSupplier trace = () -> {
      for (int i = 0; i < 4; i++) {
        PbftReplica r = net.replica(i);
        long key = r.view() * 2 + (r.normal ? 1 : 0);
        if (key != views[i]) {
          views[i] = key;
          System.out.println(net.now / 1000 + "ms r" + i + " view " + r.view() + " normal " + r.normal
              + " exec " + r.lastExecuted() + " stable " + r.checkpoints.stableSeq() + " waiting " + r.waiting.keySet() + " log " + r.log.keySet());
        }
      }
      return workload.done();
    };
    net.runUntil(() -> { trace.getAsBoolean(); return false; }, Duration.ofMillis(heal));
    net.isolated[faulty] = false;
    net.dropRate = 0;
    net.runUntil(trace, Duration.ofSeconds(60));
    System.out.println(net.describe());
  }
}
