package oskr.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.HdrHistogram.Histogram;

/**
 * One benchmark run as the client measured it (and {@code oskr bench} completed it with the
 * replicas' settings and CPU use). Written as a summary line, one JSON object or a CSV row with the
 * same keys, see {@link #KEYS}; an unknown value is JSON {@code null} or an empty CSV cell.
 */
public record BenchResult(Cluster cluster, Workload workload, Outcome outcome, Host host) {
  /** The keys of the JSON object and the CSV header, in order. */
  public static final List<String> KEYS =
      List.of(
          "protocol",
          "auth",
          "replicas",
          "f",
          "replicas_down",
          "workers",
          "batch",
          "clients",
          "threads",
          "request_bytes",
          "warm_up_s",
          "duration_s",
          "ops",
          "throughput_ops_s",
          "p50_us",
          "p99_us",
          "p999_us",
          "max_us",
          "client_cpu_percent",
          "replica_cpu_percent",
          "cores",
          "jdk",
          "workload",
          "fast_path_share");

  /** YCSB's op kinds, as column prefixes: {@code read_ops}, {@code read_p50_us}, ... */
  public static final List<String> KIND_KEYS =
      List.of("read", "update", "insert", "scan", "read_modify_write");

  /** The per-kind columns after {@link #KEYS}, each prefixed by a kind of {@link #KIND_KEYS}. */
  public static final List<String> KIND_SUFFIXES =
      List.of("ops", "failed", "throughput_ops_s", "p50_us", "p99_us", "p999_us", "max_us");

  /** Every column: {@link #KEYS}, then each kind's. */
  public static List<String> columns() {
    List<String> columns = new ArrayList<>(KEYS);
    for (String kind : KIND_KEYS) {
      for (String suffix : KIND_SUFFIXES) columns.add(kind + "_" + suffix);
    }
    return columns;
  }

  /**
   * What ran: the protocol, its signature scheme ({@code none} if it does not sign), the replica
   * count and f, how many of the replicas were down (never started: crashed from the start), and
   * the replicas' worker threads and batch bound when the client knows them.
   */
  public record Cluster(
      String protocol,
      String auth,
      int replicas,
      int f,
      int down,
      OptionalInt workers,
      OptionalInt batch) {
    public Cluster {
      if (down < 0 || down > f) throw new IllegalArgumentException("0 <= down <= f: " + down);
    }

    /** Every replica up. */
    public Cluster(
        String protocol, String auth, int replicas, int f, OptionalInt workers, OptionalInt batch) {
      this(protocol, auth, replicas, f, 0, workers, batch);
    }
  }

  /**
   * The load: closed-loop clients over client threads, request size, warm-up discarded, and what
   * they sent: {@code null} (the 0/0 benchmark or {@code --request-size}), or a YCSB workload
   * ({@code ycsb:workloada}, {@code ycsb:workloada load}).
   */
  public record Workload(
      int clients, int threads, int requestBytes, double warmUpSeconds, String name) {
    public Workload(int clients, int threads, int requestBytes, double warmUpSeconds) {
      this(clients, threads, requestBytes, warmUpSeconds, "null");
    }
  }

  /**
   * The measured window: its length, the operations completed in it, their latencies, and per op
   * kind (a YCSB workload's) the same, with the kind's count of failed ops.
   */
  public record Outcome(
      double durationSeconds,
      long ops,
      Latency latency,
      List<KindOutcome> kinds,
      OptionalDouble fastPathShare) {
    public Outcome {
      kinds = List.copyOf(kinds);
      if (fastPathShare.isPresent()) {
        double share = fastPathShare.getAsDouble();
        if (!(share >= 0 && share <= 1)) throw new IllegalArgumentException("share " + share);
      }
    }

    public Outcome(double durationSeconds, long ops, Latency latency, List<KindOutcome> kinds) {
      this(durationSeconds, ops, latency, kinds, OptionalDouble.empty());
    }

    public Outcome(double durationSeconds, long ops, Latency latency) {
      this(durationSeconds, ops, latency, List.of());
    }

    /**
     * The share of the window's completions that took the fast path, from the clients' counts by
     * {@link oskr.protocol.Completion.Path}; empty unless some completion took a fast or a slow
     * path (a protocol with one normal case has no share to report).
     */
    public static OptionalDouble fastPathShare(long normal, long fast, long slow) {
      long all = normal + fast + slow;
      if (fast + slow == 0) return OptionalDouble.empty();
      return OptionalDouble.of((double) fast / all);
    }

    public double throughputOpsPerSecond() {
      return durationSeconds > 0 ? ops / durationSeconds : 0;
    }

    /** The outcome of {@code kind} (a key of {@link #KIND_KEYS}), if any op of it ran. */
    public java.util.Optional<KindOutcome> kind(String kind) {
      return kinds.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }
  }

  /** One op kind's part of a window: ops, failed ops (not OK), latency percentiles. */
  public record KindOutcome(String kind, long ops, long failed, Latency latency) {}

  /** Latency percentiles in microseconds. */
  public record Latency(double p50Micros, double p99Micros, double p999Micros, double maxMicros) {
    /** The percentiles of a histogram of nanoseconds; all zero if it is empty. */
    public static Latency ofNanos(Histogram nanos) {
      if (nanos.getTotalCount() == 0) return new Latency(0, 0, 0, 0);
      return new Latency(
          nanos.getValueAtPercentile(50) / 1e3,
          nanos.getValueAtPercentile(99) / 1e3,
          nanos.getValueAtPercentile(99.9) / 1e3,
          nanos.getMaxValue() / 1e3);
    }
  }

  /**
   * The machine: cores, JDK, and CPU use in percent of one core (200 = two cores busy) over the
   * measured window; the replicas' only when {@code oskr bench} started them.
   */
  public record Host(
      int cores, String jdk, double clientCpuPercent, OptionalDouble replicaCpuPercent) {
    /** This host with the replicas' CPU use, which only the one who started them knows. */
    public Host withReplicaCpuPercent(OptionalDouble percent) {
      return new Host(cores, jdk, clientCpuPercent, percent);
    }
  }

  /** This result with the replicas' settings, which only the one who started them knows. */
  public BenchResult withReplicaSettings(int workers, int batch, OptionalDouble replicaCpuPercent) {
    Cluster c = cluster;
    Cluster known =
        new Cluster(
            c.protocol(),
            c.auth(),
            c.replicas(),
            c.f(),
            c.down(),
            OptionalInt.of(workers),
            OptionalInt.of(batch));
    return new BenchResult(known, workload, outcome, host.withReplicaCpuPercent(replicaCpuPercent));
  }

  /** This result of a run in which {@code down} replicas were never started. */
  public BenchResult withReplicasDown(int down) {
    Cluster c = cluster;
    Cluster known =
        new Cluster(c.protocol(), c.auth(), c.replicas(), c.f(), down, c.workers(), c.batch());
    return new BenchResult(known, workload, outcome, host);
  }

  /** One value under a key: text, a number literal, or unknown. */
  private record Value(String literal, boolean text) {
    static final Value UNKNOWN = new Value("", false);

    static Value text(String text) {
      return new Value(text, true);
    }

    static Value number(String literal) {
      return new Value(literal, false);
    }

    String json() {
      if (this == UNKNOWN) return "null";
      return text ? Json.quote(literal) : literal;
    }

    String csv() {
      return text ? csvQuote(literal) : literal;
    }
  }

  /** The values under {@link #KEYS}, in order. */
  private List<Value> values() {
    Latency latency = outcome.latency();
    return List.of(
        Value.text(cluster.protocol()),
        Value.text(cluster.auth()),
        integer(cluster.replicas()),
        integer(cluster.f()),
        integer(cluster.down()),
        cluster.workers().isPresent() ? integer(cluster.workers().getAsInt()) : Value.UNKNOWN,
        cluster.batch().isPresent() ? integer(cluster.batch().getAsInt()) : Value.UNKNOWN,
        integer(workload.clients()),
        integer(workload.threads()),
        integer(workload.requestBytes()),
        decimal(workload.warmUpSeconds(), 3),
        decimal(outcome.durationSeconds(), 3),
        Value.number(Long.toString(outcome.ops())),
        decimal(outcome.throughputOpsPerSecond(), 1),
        decimal(latency.p50Micros(), 3),
        decimal(latency.p99Micros(), 3),
        decimal(latency.p999Micros(), 3),
        decimal(latency.maxMicros(), 3),
        decimal(host.clientCpuPercent(), 1),
        host.replicaCpuPercent().isPresent()
            ? decimal(host.replicaCpuPercent().getAsDouble(), 1)
            : Value.UNKNOWN,
        integer(host.cores()),
        Value.text(host.jdk()),
        Value.text(workload.name()),
        outcome.fastPathShare().isPresent()
            ? decimal(outcome.fastPathShare().getAsDouble(), 4)
            : Value.UNKNOWN);
  }

  /** {@link #values()} and then each kind's, unknown where the kind did not run. */
  private List<Value> allValues() {
    List<Value> values = new ArrayList<>(values());
    for (String kind : KIND_KEYS) {
      java.util.Optional<KindOutcome> outcome = this.outcome.kind(kind);
      if (outcome.isEmpty()) {
        for (int i = 0; i < KIND_SUFFIXES.size(); i++) values.add(Value.UNKNOWN);
        continue;
      }
      KindOutcome k = outcome.get();
      double seconds = this.outcome.durationSeconds();
      values.add(Value.number(Long.toString(k.ops())));
      values.add(Value.number(Long.toString(k.failed())));
      values.add(decimal(seconds > 0 ? k.ops() / seconds : 0, 1));
      values.add(decimal(k.latency().p50Micros(), 3));
      values.add(decimal(k.latency().p99Micros(), 3));
      values.add(decimal(k.latency().p999Micros(), 3));
      values.add(decimal(k.latency().maxMicros(), 3));
    }
    return values;
  }

  /** One JSON object on one line. */
  public String toJson() {
    List<Value> values = allValues();
    List<String> columns = columns();
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) out.append(", ");
      out.append(Json.quote(columns.get(i))).append(": ").append(values.get(i).json());
    }
    return out.append('}').toString();
  }

  /** The CSV header line for {@link #toCsvRow()}. */
  public static String csvHeader() {
    return String.join(",", columns());
  }

  /** One CSV row (RFC 4180 quoting), the columns of {@link #csvHeader()}. */
  public String toCsvRow() {
    return String.join(",", allValues().stream().map(Value::csv).toList());
  }

  /** Header and row: a whole CSV file for one run. */
  public String toCsv() {
    return csvHeader() + "\n" + toCsvRow() + "\n";
  }

  private static String csvQuote(String text) {
    boolean plain = text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
    return plain ? text : "\"" + text.replace("\"", "\"\"") + "\"";
  }

  /** The human-readable line: what ran, throughput, latency percentiles, CPU. */
  public String summaryLine() {
    Latency l = outcome.latency();
    String settings =
        (cluster.workers().isPresent() ? ", workers " + cluster.workers().getAsInt() : "")
            + (cluster.batch().isPresent() ? ", batch " + cluster.batch().getAsInt() : "");
    String replicaCpu =
        host.replicaCpuPercent().isPresent()
            ? String.format(
                Locale.ROOT, ", replicas %.0f%%", host.replicaCpuPercent().getAsDouble())
            : "";
    return String.format(
        Locale.ROOT,
        "%s (n=%d, f=%d%s, auth %s%s), %s on %s: %.1f ops/s, latency p50 %.1f us,"
            + " p99 %.1f us, p99.9 %.1f us, max %.1f us (%d ops in %.1f s after %.1f s warm-up;"
            + "%s cpu client %.0f%%%s of a core, %d cores)",
        cluster.protocol(),
        cluster.replicas(),
        cluster.f(),
        cluster.down() > 0 ? ", " + cluster.down() + " down" : "",
        cluster.auth(),
        settings,
        count(workload.clients(), "client"),
        count(workload.threads(), "thread"),
        outcome.throughputOpsPerSecond(),
        l.p50Micros(),
        l.p99Micros(),
        l.p999Micros(),
        l.maxMicros(),
        outcome.ops(),
        outcome.durationSeconds(),
        workload.warmUpSeconds(),
        outcome.fastPathShare().isPresent()
            ? String.format(
                Locale.ROOT, " fast path %.1f%%;", 100 * outcome.fastPathShare().getAsDouble())
            : "",
        host.clientCpuPercent(),
        replicaCpu,
        host.cores());
  }

  /**
   * The summary line, then one line per op kind that ran (YCSB's per-operation report): ops,
   * failed, throughput and latency percentiles.
   */
  public String summary() {
    StringBuilder out = new StringBuilder(summaryLine());
    if (!workload.name().equals("null")) out.append(" [").append(workload.name()).append(']');
    for (KindOutcome k : outcome.kinds()) {
      if (k.ops() == 0) continue;
      Latency l = k.latency();
      double seconds = outcome.durationSeconds();
      out.append(
          String.format(
              Locale.ROOT,
              "%n  [%s] %d ops (%d failed), %.1f ops/s, latency p50 %.1f us, p99 %.1f us,"
                  + " p99.9 %.1f us, max %.1f us",
              k.kind().toUpperCase(Locale.ROOT).replace('_', '-'),
              k.ops(),
              k.failed(),
              seconds > 0 ? k.ops() / seconds : 0,
              l.p50Micros(),
              l.p99Micros(),
              l.p999Micros(),
              l.maxMicros()));
    }
    return out.toString();
  }

  private static String count(int number, String noun) {
    return number + " " + noun + (number == 1 ? "" : "s");
  }

  /**
   * Reads back what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException if the text is not such an object or a key is missing
   */
  public static BenchResult fromJson(String text) {
    Fields fields = new Fields(Json.parseFlatObject(text));
    Cluster cluster =
        new Cluster(
            fields.text("protocol"),
            fields.text("auth"),
            fields.integer("replicas"),
            fields.integer("f"),
            fields.values().containsKey("replicas_down") ? fields.integer("replicas_down") : 0,
            fields.optionalInteger("workers"),
            fields.optionalInteger("batch"));
    Workload workload =
        new Workload(
            fields.integer("clients"),
            fields.integer("threads"),
            fields.integer("request_bytes"),
            fields.number("warm_up_s"),
            fields.values().containsKey("workload") ? fields.text("workload") : "null");
    Latency latency =
        new Latency(
            fields.number("p50_us"),
            fields.number("p99_us"),
            fields.number("p999_us"),
            fields.number("max_us"));
    Outcome outcome =
        new Outcome(
            fields.number("duration_s"),
            fields.longInteger("ops"),
            latency,
            kinds(fields),
            fields.values().containsKey("fast_path_share")
                ? fields.optionalNumber("fast_path_share")
                : OptionalDouble.empty());
    Host host =
        new Host(
            fields.integer("cores"),
            fields.text("jdk"),
            fields.number("client_cpu_percent"),
            fields.optionalNumber("replica_cpu_percent"));
    return new BenchResult(cluster, workload, outcome, host);
  }

  /** The kinds whose columns are present and known (a kind that did not run has nulls). */
  private static List<KindOutcome> kinds(Fields fields) {
    List<KindOutcome> kinds = new ArrayList<>();
    for (String kind : KIND_KEYS) {
      String ops = kind + "_ops";
      if (!fields.values().containsKey(ops) || fields.values().get(ops) == Json.NULL) continue;
      kinds.add(
          new KindOutcome(
              kind,
              fields.longInteger(ops),
              fields.longInteger(kind + "_failed"),
              new Latency(
                  fields.number(kind + "_p50_us"),
                  fields.number(kind + "_p99_us"),
                  fields.number(kind + "_p999_us"),
                  fields.number(kind + "_max_us"))));
    }
    return kinds;
  }

  private static Value integer(int value) {
    return Value.number(Integer.toString(value));
  }

  /** A number with {@code places} decimals; JSON has no NaN or infinity, so those are unknown. */
  private static Value decimal(double value, int places) {
    if (!Double.isFinite(value)) return Value.UNKNOWN;
    return Value.number(String.format(Locale.ROOT, "%." + places + "f", value));
  }

  /** Typed access to parsed values, each error naming the key. */
  private record Fields(Map<String, Object> values) {
    private Object get(String key) {
      if (!values.containsKey(key)) throw new IllegalArgumentException("missing key '" + key + "'");
      return values.get(key);
    }

    String text(String key) {
      if (get(key) instanceof String text) return text;
      throw new IllegalArgumentException("'" + key + "' is not a string");
    }

    BigDecimal decimal(String key) {
      if (get(key) instanceof BigDecimal number) return number;
      throw new IllegalArgumentException("'" + key + "' is not a number");
    }

    /** A number, or NaN for null (how {@link #toJson()} writes an unknown number). */
    double number(String key) {
      return get(key) == Json.NULL ? Double.NaN : decimal(key).doubleValue();
    }

    long longInteger(String key) {
      try {
        return decimal(key).longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("'" + key + "' is not an integer");
      }
    }

    int integer(String key) {
      long value = longInteger(key);
      if (value != (int) value) throw new IllegalArgumentException("'" + key + "' is too large");
      return (int) value;
    }

    OptionalInt optionalInteger(String key) {
      return get(key) == Json.NULL ? OptionalInt.empty() : OptionalInt.of(integer(key));
    }

    OptionalDouble optionalNumber(String key) {
      return get(key) == Json.NULL ? OptionalDouble.empty() : OptionalDouble.of(number(key));
    }
  }
}
