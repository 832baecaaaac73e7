package oskr.app.ycsb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import oskr.app.YcsbOp;

/**
 * Each shipped workload's operation mix matches YCSB's definition (workloads/workloada..f): the
 * share of each kind over many seeded draws lies within 4.5 standard deviations of its proportion,
 * and the kinds with proportion 0 never appear.
 */
class CoreWorkloadMixTest {
  private static final int DRAWS = 40_000;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // workload, read, update, insert, scan, read-modify-write (YCSB's core workloads)
    "workloada, 0.5,  0.5,  0,    0,    0",
    "workloadb, 0.95, 0.05, 0,    0,    0",
    "workloadc, 1,    0,    0,    0,    0",
    "workloadd, 0.95, 0,    0.05, 0,    0",
    "workloade, 0,    0,    0.05, 0.95, 0",
    "workloadf, 0.5,  0,    0,    0,    0.5"
  })
  void theMixIsTheWorkloadsDefinition(
      String file, double read, double update, double insert, double scan, double rmw) {
    CoreWorkload workload = Workloads.of(file, Map.of("recordcount", "1000"));
    ClientStream stream = workload.stream(0, 1);
    EnumMap<OpKind, Integer> counts = new EnumMap<>(OpKind.class);
    for (int i = 0; i < DRAWS; i++) {
      YcsbOp op = stream.nextRun();
      counts.merge(OpKind.of(op), 1, Integer::sum);
    }
    Map<OpKind, Double> expected =
        Map.of(
            OpKind.READ, read,
            OpKind.UPDATE, update,
            OpKind.INSERT, insert,
            OpKind.SCAN, scan,
            OpKind.READ_MODIFY_WRITE, rmw);
    for (OpKind kind : OpKind.values()) {
      double p = expected.get(kind);
      int count = counts.getOrDefault(kind, 0);
      if (p == 0) {
        assertThat(count).as(kind.ycsbName()).isZero();
        continue;
      }
      double sigma = Math.sqrt(DRAWS * p * (1 - p));
      assertThat((double) count).as(kind.ycsbName()).isCloseTo(DRAWS * p, within(4.5 * sigma));
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double offset) {
    return org.assertj.core.data.Offset.offset(Math.max(offset, 0.5));
  }
}
