package oskr.app.ycsb;

import java.util.SplittableRandom;
import java.util.TreeMap;
import oskr.app.FieldNames;
import oskr.app.Fields;
import oskr.app.YcsbOp;
import oskr.core.Bytes;

/**
 * One client's YCSB ops, from its own generator seeded by the workload's {@code seed} and the
 * client's index: the same seed, client and count give the same ops, whatever the timing.
 *
 * <p>The load phase inserts records {@code insertstart .. insertstart + insertcount - 1}; client
 * {@code c} of {@code n} takes those numbered {@code insertstart + c + j n} (YCSB's threads take
 * them from a shared counter, in an order that depends on timing). The run phase draws from the
 * mix; its inserts continue at {@code recordcount}, client {@code c} taking {@code recordcount + c
 * + j n}.
 *
 * <p>Deviation: YCSB reads, updates and scans only records below the highest insert that is
 * acknowledged, with every lower one (its {@code AcknowledgedCounterGenerator}). A client here
 * knows its own inserts only and assumes the others went as far: its frontier is {@code recordcount
 * - 1 + (its inserts) n}. With one client it is YCSB's; with several, a read may find a record
 * another client has not inserted yet, and count as not found.
 *
 * <p>Not thread-safe: one client's driver calls it.
 */
public final class ClientStream {
  /** Draws of a key chooser before it falls back to a uniform draw below the frontier. */
  static final int KEY_DRAWS_MAX = 1 << 20;

  private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;

  private final CoreWorkload workload;
  private final int client;
  private final int clients;
  private final SplittableRandom random;
  private final KeyChooser keys;
  private final LengthChooser fieldLength;
  private final LengthChooser scanLength;
  private final Bytes[] fieldNames;
  private long loaded;
  private long runInserts;

  ClientStream(CoreWorkload workload, int client, int clients) {
    if (clients < 1 || client < 0 || client >= clients) {
      throw new IllegalArgumentException("client " + client + " of " + clients);
    }
    this.workload = workload;
    this.client = client;
    this.clients = clients;
    this.random = new SplittableRandom(workload.seed + SEED_STRIDE * (client + 1));
    this.keys = workload.keyChooser.copy();
    this.fieldLength = workload.fieldLength.copy();
    this.scanLength = workload.scanLength.copy();
    this.fieldNames = new Bytes[workload.fieldCount];
    for (int i = 0; i < fieldNames.length; i++) {
      fieldNames[i] = Bytes.utf8(workload.fieldNamePrefix + i);
    }
  }

  /** The inserts of this client's share of the load phase. */
  public long loadCount() {
    long count = workload.insertCount - client;
    return count <= 0 ? 0 : (count + clients - 1) / clients;
  }

  /** Whether this client has issued all its load inserts. */
  public boolean loadDone() {
    return loaded >= loadCount();
  }

  /** The next insert of the load phase. */
  public YcsbOp nextLoad() {
    if (loadDone()) throw new IllegalStateException("client " + client + " has loaded its share");
    long number = workload.insertStart + client + loaded * clients;
    loaded++;
    return new YcsbOp.Insert(key(number), allFields());
  }

  /** The next op of the run phase. */
  public YcsbOp nextRun() {
    return switch (workload.mix.next(random)) {
      case READ -> new YcsbOp.Read(key(nextKeyNumber()), readFields());
      case UPDATE -> new YcsbOp.Update(key(nextKeyNumber()), writeFields());
      case INSERT -> {
        long number = workload.recordCount + client + runInserts * clients;
        runInserts++;
        yield new YcsbOp.Insert(key(number), allFields());
      }
      case SCAN -> {
        Bytes start = key(nextKeyNumber());
        yield new YcsbOp.Scan(start, scanLength.next(random), readFields());
      }
      case READ_MODIFY_WRITE ->
          new YcsbOp.ReadModifyWrite(key(nextKeyNumber()), readFields(), writeFields());
    };
  }

  /** The highest record number this client takes as inserted. */
  long frontier() {
    return workload.recordCount - 1 + runInserts * clients;
  }

  /** YCSB's {@code nextKeynum}: a draw of the request distribution at or below the frontier. */
  long nextKeyNumber() {
    long frontier = frontier();
    for (int draw = 0; draw < KEY_DRAWS_MAX; draw++) {
      long number = keys.next(random, frontier);
      if (number <= frontier) return number;
    }
    return workload.insertStart + random.nextLong(frontier - workload.insertStart + 1);
  }

  private Bytes key(long number) {
    return Bytes.utf8(workload.keyName(number));
  }

  /** Readallfields: every field (YCSB passes null); else one field, uniformly. */
  private FieldNames readFields() {
    if (workload.readAllFields) return FieldNames.ALL;
    return FieldNames.of(fieldNames[random.nextInt(fieldNames.length)]);
  }

  /** Writeallfields: new values for every field; else for one field, uniformly. */
  private Fields writeFields() {
    if (workload.writeAllFields) return allFields();
    TreeMap<Bytes, Bytes> one = new TreeMap<>();
    one.put(fieldNames[random.nextInt(fieldNames.length)], value());
    return new Fields(one);
  }

  private Fields allFields() {
    TreeMap<Bytes, Bytes> all = new TreeMap<>();
    for (Bytes name : fieldNames) all.put(name, value());
    return new Fields(all);
  }

  /** A field value: as YCSB's {@code RandomByteIterator}, printable ASCII, of a drawn length. */
  private Bytes value() {
    byte[] value = new byte[fieldLength.next(random)];
    for (int i = 0; i < value.length; i++) value[i] = (byte) (' ' + random.nextInt(95));
    return Bytes.adopt(value);
  }
}
