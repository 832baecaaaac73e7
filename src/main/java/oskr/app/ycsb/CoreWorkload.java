package oskr.app.ycsb;

import oskr.app.Fields;
import oskr.app.KvOp;

/**
 * YCSB's {@code CoreWorkload}, its properties parsed and checked once: the record layout, the
 * operation mix, and the request distribution. Immutable; {@link #stream} gives each client its own
 * seeded generator of ops (YCSB's generators share thread-local, time-seeded randoms instead).
 *
 * <p>Properties and defaults as YCSB's: {@code recordcount}, {@code operationcount}, {@code
 * fieldcount} (10), {@code fieldlength} (100), {@code minfieldlength} (1), {@code
 * fieldlengthdistribution} (constant|uniform|zipfian), {@code fieldnameprefix} (field), {@code
 * readproportion} (0.95), {@code updateproportion} (0.05), {@code insertproportion}, {@code
 * scanproportion}, {@code readmodifywriteproportion} (0), {@code requestdistribution}
 * (uniform|zipfian|latest|hotspot), {@code hotspotdatafraction} (0.2), {@code hotspotopnfraction}
 * (0.8), {@code minscanlength} (1), {@code maxscanlength} (1000), {@code scanlengthdistribution}
 * (uniform|zipfian), {@code insertstart} (0), {@code insertcount} (recordcount - insertstart),
 * {@code zeropadding} (1), {@code insertorder} (hashed|ordered), {@code readallfields} (true),
 * {@code writeallfields} (false). Ours: {@code seed} (1), the seed of every generator.
 *
 * <p>Deviations: {@code recordcount} must be given (YCSB takes 2^31 - 1 when it is 0 or absent);
 * the {@code exponential}, {@code sequential} and {@code histogram} distributions and {@code
 * dataintegrity} are refused, not silently ignored. Other YCSB properties (threadcount, target,
 * measurement settings, DB settings) do not change the ops and are ignored, as YCSB ignores the
 * properties it does not know.
 */
public final class CoreWorkload {
  /** YCSB's class names for this workload, which the {@code workload} property may give. */
  static final java.util.List<String> CLASS_NAMES =
      java.util.List.of(
          "site.ycsb.workloads.CoreWorkload", "com.yahoo.ycsb.workloads.CoreWorkload");

  /** Records, inserts and the key space are bounded so generators and stores stay in range. */
  static final long RECORDS_MAX = 1L << 40;

  final long recordCount;
  final long operationCount;
  final int fieldCount;
  final String fieldNamePrefix;
  final LengthChooser fieldLength;
  final Mix mix;
  final KeyChooser keyChooser;
  final LengthChooser scanLength;
  final long insertStart;
  final long insertCount;
  final int zeroPadding;
  final boolean orderedInserts;
  final boolean readAllFields;
  final boolean writeAllFields;
  final long seed;
  final String requestDistribution;

  /**
   * Parses and checks the properties.
   *
   * @throws IllegalArgumentException naming the first property that is wrong
   */
  public CoreWorkload(WorkloadProperties p) {
    String workloadClass = p.text("workload", CLASS_NAMES.getFirst());
    if (!CLASS_NAMES.contains(workloadClass)) {
      throw new IllegalArgumentException(
          "property workload=" + workloadClass + ": only the core workload is supported");
    }
    if (p.bool("dataintegrity", false)) {
      throw new IllegalArgumentException("property dataintegrity=true is not supported");
    }
    recordCount = p.integer("recordcount", 0, 0, RECORDS_MAX);
    if (recordCount == 0) throw new IllegalArgumentException("property recordcount must be > 0");
    operationCount = p.integer("operationcount", 0, 0, RECORDS_MAX);
    fieldCount = (int) p.integer("fieldcount", 10, 1, Fields.COUNT_MAX);
    fieldNamePrefix = p.text("fieldnameprefix", "field");
    int maxLength = (int) p.integer("fieldlength", 100, 1, KvOp.VALUE_MAX);
    int minLength = (int) p.integer("minfieldlength", 1, 1, maxLength);
    String lengths =
        p.choice("fieldlengthdistribution", "constant", "constant", "uniform", "zipfian");
    fieldLength = LengthChooser.of(lengths, minLength, maxLength);
    checkRecordSize(maxLength);
    mix = Mix.of(p);
    insertStart = p.integer("insertstart", 0, 0, recordCount - 1);
    insertCount = p.integer("insertcount", recordCount - insertStart, 1, recordCount - insertStart);
    zeroPadding = (int) p.integer("zeropadding", 1, 1, 64);
    orderedInserts = p.choice("insertorder", "hashed", "hashed", "ordered").equals("ordered");
    readAllFields = p.bool("readallfields", true);
    writeAllFields = p.bool("writeallfields", false);
    int maxScan = (int) p.integer("maxscanlength", 1000, 1, KvOp.SCAN_LIMIT_MAX);
    int minScan = (int) p.integer("minscanlength", 1, 1, maxScan);
    String scans = p.choice("scanlengthdistribution", "uniform", "uniform", "zipfian");
    scanLength = LengthChooser.of(scans, minScan, maxScan);
    seed = p.integer("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
    requestDistribution =
        p.choice("requestdistribution", "uniform", "uniform", "zipfian", "latest", "hotspot");
    keyChooser = keyChooser(p);
  }

  private void checkRecordSize(int maxLength) {
    long nameBytes = fieldNamePrefix.length() + String.valueOf(fieldCount).length();
    if (nameBytes > Fields.NAME_MAX) {
      throw new IllegalArgumentException("property fieldnameprefix is too long");
    }
    long recordBytes = 2 + fieldCount * (8 + nameBytes + maxLength);
    if (recordBytes > KvOp.VALUE_MAX) {
      throw new IllegalArgumentException(
          "fieldcount x fieldlength: a record of "
              + recordBytes
              + " bytes exceeds the store's value limit of "
              + KvOp.VALUE_MAX);
    }
  }

  /** CoreWorkload's key chooser for {@code requestdistribution}, as YCSB builds it. */
  private KeyChooser keyChooser(WorkloadProperties p) {
    long last = insertStart + insertCount - 1;
    return switch (requestDistribution) {
      case "uniform" -> new KeyChooser.Uniform(insertStart, last);
      case "zipfian" -> {
        // YCSB sizes the scrambled zipfian for the keys the run will insert too (2 is its fudge
        // factor), so that inserts do not shift which keys are popular.
        long expectedNewKeys = (long) (operationCount * mix.insert() * 2.0);
        yield new KeyChooser.ScrambledZipfian(insertStart, last + 1 + expectedNewKeys);
      }
      case "latest" -> new KeyChooser.Latest(recordCount);
      case "hotspot" ->
          KeyChooser.Hotspot.of(
              insertStart,
              last,
              p.fraction("hotspotdatafraction", 0.2),
              p.fraction("hotspotopnfraction", 0.8));
      default -> throw new IllegalStateException(requestDistribution);
    };
  }

  /** Client {@code client}'s ops, of {@code clients} clients sharing the load and the inserts. */
  public ClientStream stream(int client, int clients) {
    return new ClientStream(this, client, clients);
  }

  public long recordCount() {
    return recordCount;
  }

  public long operationCount() {
    return operationCount;
  }

  public long insertStart() {
    return insertStart;
  }

  public long insertCount() {
    return insertCount;
  }

  public Mix mix() {
    return mix;
  }

  public String requestDistribution() {
    return requestDistribution;
  }

  /** YCSB's {@code buildKeyName}: {@code user} and the (hashed, unless ordered) number, padded. */
  public String keyName(long keyNumber) {
    long number = orderedInserts ? keyNumber : Fnv.hash64(keyNumber);
    String value = Long.toString(number);
    StringBuilder key = new StringBuilder("user");
    for (int fill = zeroPadding - value.length(); fill > 0; fill--) key.append('0');
    return key.append(value).toString();
  }
}
