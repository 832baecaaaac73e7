package oskr.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BenchResultTest {
  static BenchResult sample(int clients, double throughput, double p50) {
    return new BenchResult(
        new BenchResult.Cluster(
            "unreplicated", "none", 1, 0, OptionalInt.empty(), OptionalInt.empty()),
        new BenchResult.Workload(clients, Math.min(clients, 2), 0, 3),
        new BenchResult.Outcome(
            10, Math.round(throughput * 10), new BenchResult.Latency(p50, 80.5, 120.25, 3000)),
        new BenchResult.Host(2, "25+36-LTS", 87.5, OptionalDouble.empty()));
  }

  @Test
  void jsonHasEveryKeyAndParses() {
    BenchResult result = sample(8, 12_345.6, 52.125);
    Map<String, Object> fields = Json.parseFlatObject(result.toJson());
    assertThat(fields.keySet()).containsExactlyElementsOf(BenchResult.columns());
    assertThat(fields.keySet())
        .contains(
            "workload",
            "read_ops",
            "read_p50_us",
            "read_modify_write_p999_us",
            "protocol",
            "clients",
            "duration_s",
            "ops",
            "throughput_ops_s",
            "p50_us",
            "p99_us",
            "p999_us",
            "max_us",
            "replicas",
            "f",
            "workers",
            "batch",
            "auth",
            "client_cpu_percent",
            "warm_up_s");
    assertThat(fields.get("protocol")).isEqualTo("unreplicated");
    assertThat(fields.get("ops")).isEqualTo(new BigDecimal("123456"));
    assertThat(fields.get("throughput_ops_s")).isEqualTo(new BigDecimal("12345.6"));
    assertThat(fields.get("p50_us")).isEqualTo(new BigDecimal("52.125"));
    assertThat(fields.get("workers")).isSameAs(Json.NULL);
    assertThat(fields.get("replica_cpu_percent")).isSameAs(Json.NULL);
  }

  /** A YCSB run: per-kind ops, failures and percentiles in JSON and CSV, and read back. */
  @Test
  void perKindColumnsCarryEachOpKindAndReadBack() {
    BenchResult plain = sample(8, 2_000, 30);
    BenchResult ycsb =
        new BenchResult(
            plain.cluster(),
            new BenchResult.Workload(8, 2, 0, 3, "ycsb:workloada"),
            new BenchResult.Outcome(
                10,
                20_000,
                plain.outcome().latency(),
                List.of(
                    new BenchResult.KindOutcome(
                        "read", 10_000, 3, new BenchResult.Latency(20, 50, 90.5, 400)),
                    new BenchResult.KindOutcome(
                        "update", 10_000, 0, new BenchResult.Latency(40, 70, 99.125, 500)))),
            plain.host());
    assertThat(BenchResult.fromJson(ycsb.toJson())).isEqualTo(ycsb);
    Map<String, Object> fields = Json.parseFlatObject(ycsb.toJson());
    assertThat(fields.get("workload")).isEqualTo("ycsb:workloada");
    assertThat(fields.get("read_failed")).isEqualTo(new BigDecimal("3"));
    assertThat(fields.get("read_throughput_ops_s")).isEqualTo(new BigDecimal("1000.0"));
    assertThat(fields.get("update_p999_us")).isEqualTo(new BigDecimal("99.125"));
    assertThat(fields.get("scan_ops")).isSameAs(Json.NULL);
    String[] row = ycsb.toCsv().split("\n")[1].split(",", -1);
    assertThat(row[BenchResult.columns().indexOf("update_p50_us")]).isEqualTo("40.000");
    assertThat(ycsb.summary())
        .contains("[ycsb:workloada]")
        .contains("[READ] 10000 ops (3 failed), 1000.0 ops/s, latency p50 20.0 us")
        .contains("[UPDATE] 10000 ops (0 failed)")
        .doesNotContain("[SCAN]");
  }

  @Test
  void jsonReadsBackAsTheSameResult() {
    BenchResult result = sample(4, 1_000, 40.5).withReplicaSettings(2, 16, OptionalDouble.of(95.5));
    assertThat(BenchResult.fromJson(result.toJson())).isEqualTo(result);
  }

  @Test
  void replicasDownReadBackAndShowInTheSummary() {
    BenchResult up = sample(4, 1_000, 40.5);
    BenchResult down =
        new BenchResult(
                new BenchResult.Cluster(
                    "pbft", "hmac", 4, 1, OptionalInt.of(1), OptionalInt.of(100)),
                up.workload(),
                up.outcome(),
                up.host())
            .withReplicasDown(1);
    assertThat(BenchResult.fromJson(down.toJson())).isEqualTo(down);
    assertThat(Json.parseFlatObject(down.toJson()).get("replicas_down"))
        .isEqualTo(java.math.BigDecimal.ONE);
    assertThat(down.summaryLine()).contains("f=1, 1 down, auth");
    // A result written before the key existed had every replica up.
    String old = down.toJson().replace("\"replicas_down\": 1,", "");
    assertThat(old).doesNotContain("replicas_down");
    assertThat(BenchResult.fromJson(old).cluster().down()).isZero();
  }

  @Test
  void csvHasTheSameColumns() {
    BenchResult result = sample(1, 500, 12.031).withReplicaSettings(1, 1, OptionalDouble.empty());
    String[] lines = result.toCsv().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(List.of(lines[0].split(","))).containsExactlyElementsOf(BenchResult.columns());
    String[] row = lines[1].split(",", -1);
    assertThat(row).hasSize(BenchResult.columns().size());
    assertThat(row[BenchResult.KEYS.indexOf("workload")]).isEqualTo("null");
    assertThat(row[BenchResult.columns().indexOf("update_ops")]).isEmpty();
    assertThat(row[BenchResult.KEYS.indexOf("protocol")]).isEqualTo("unreplicated");
    assertThat(row[BenchResult.KEYS.indexOf("workers")]).isEqualTo("1");
    assertThat(row[BenchResult.KEYS.indexOf("p50_us")]).isEqualTo("12.031");
    assertThat(row[BenchResult.KEYS.indexOf("replica_cpu_percent")]).isEmpty();
  }

  @Test
  void csvQuotesCellsWithCommasAndQuotes() {
    BenchResult plain = sample(1, 500, 12);
    BenchResult odd =
        new BenchResult(
            plain.cluster(),
            plain.workload(),
            plain.outcome(),
            new BenchResult.Host(2, "25,\"ea\"", 50, OptionalDouble.empty()));
    assertThat(odd.toCsvRow()).contains(",\"25,\"\"ea\"\"\",null,");
  }

  @Test
  void anUnknownNumberIsNullInJson() {
    BenchResult plain = sample(1, 500, 12);
    BenchResult noCpu =
        new BenchResult(
            plain.cluster(),
            plain.workload(),
            plain.outcome(),
            new BenchResult.Host(2, "25", Double.NaN, OptionalDouble.empty()));
    assertThat(Json.parseFlatObject(noCpu.toJson()).get("client_cpu_percent")).isSameAs(Json.NULL);
    assertThat(BenchResult.fromJson(noCpu.toJson()).host().clientCpuPercent()).isNaN();
  }

  @Test
  void summaryLineSaysWhatRanAndWhatCameOut() {
    String line =
        sample(8, 12_345.6, 52.125).withReplicaSettings(2, 4, OptionalDouble.of(150)).summaryLine();
    assertThat(line)
        .doesNotContain("\n")
        .contains("unreplicated (n=1, f=0, auth none, workers 2, batch 4)")
        .contains("8 clients on 2 threads")
        .contains("12345.6 ops/s")
        .contains("p50 52.1 us")
        .contains("p99.9 120.3 us")
        .contains("cpu client 88%, replicas 150% of a core");
  }

  /** A protocol with a fast path: its share in the summary and the JSON, and read back. */
  @Test
  void fastPathShareIsReportedOnlyWhereAProtocolHasPaths() {
    assertThat(BenchResult.Outcome.fastPathShare(100, 0, 0)).isEmpty();
    assertThat(BenchResult.Outcome.fastPathShare(0, 0, 0)).isEmpty();
    assertThat(BenchResult.Outcome.fastPathShare(0, 3, 1)).hasValue(0.75);
    assertThat(BenchResult.Outcome.fastPathShare(0, 0, 5)).hasValue(0.0);
    BenchResult plain = sample(8, 1000, 50);
    assertThat(plain.summaryLine()).doesNotContain("fast path");
    assertThat(Json.parseFlatObject(plain.toJson()).get("fast_path_share")).isSameAs(Json.NULL);
    BenchResult zyzzyva =
        new BenchResult(
            new BenchResult.Cluster(
                "zyzzyva", "hmac", 4, 1, OptionalInt.of(1), OptionalInt.of(100)),
            new BenchResult.Workload(64, 2, 0, 10),
            new BenchResult.Outcome(
                10,
                4000,
                new BenchResult.Latency(900, 2000, 5000, 9000),
                List.of(),
                BenchResult.Outcome.fastPathShare(0, 3000, 1000)),
            new BenchResult.Host(2, "25", 50, OptionalDouble.empty()));
    assertThat(zyzzyva.summaryLine()).contains("fast path 75.0%;");
    assertThat(Json.parseFlatObject(zyzzyva.toJson()).get("fast_path_share"))
        .isEqualTo(new BigDecimal("0.7500"));
    assertThat(BenchResult.fromJson(zyzzyva.toJson())).isEqualTo(zyzzyva);
    assertThat(zyzzyva.toCsvRow()).contains(",null,0.7500,");
    // A file written before the key existed still reads, without a share.
    String old = plain.toJson().replace(", \"fast_path_share\": null", "");
    assertThat(old).doesNotContain("fast_path_share");
    assertThat(BenchResult.fromJson(old).outcome().fastPathShare()).isEmpty();
  }

  @Test
  void fromJsonNamesAMissingKey() {
    assertThatThrownBy(() -> BenchResult.fromJson("{\"protocol\": \"x\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing key");
  }

  @Test
  void sweepRowTakesMaxThroughputAndOneClientMedian() {
    List<BenchResult> sweep =
        List.of(
            sample(1, 10_000, 60).withReplicaSettings(1, 1, OptionalDouble.empty()),
            sample(4, 90_000, 40).withReplicaSettings(1, 1, OptionalDouble.empty()),
            sample(16, 70_000, 200).withReplicaSettings(1, 1, OptionalDouble.empty()));
    assertThat(SweepTable.row(sweep))
        .isEqualTo("|unreplicated|1|1|90.000 (4 clients)|60.000|80.5|");
    assertThat(SweepTable.row(sweep.subList(1, 3)))
        .isEqualTo("|unreplicated|1|1|90.000 (4 clients)|40.000|80.5|");
    assertThat(SweepTable.header())
        .startsWith("|Protocol|Worker number|Batch size|")
        .contains("|p99 at maximum throughput (us)|");
  }
}
