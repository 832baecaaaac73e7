package oskr.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.app.KvResult.BadOp;
import oskr.app.KvResult.DeleteResult;
import oskr.app.KvResult.GetResult;
import oskr.app.KvResult.Pair;
import oskr.app.KvResult.PutResult;
import oskr.app.KvResult.ScanResult;
import oskr.app.KvResult.StoreFull;
import oskr.app.YcsbResult.Row;
import oskr.app.YcsbResult.Status;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;

/**
 * What the ops mean, once for every store: {@link KvOp}s and {@link YcsbOp}s executed on a {@link
 * Table}. Op bytes come from the network: whatever does not decode, and a YCSB op on a value that
 * is not a record, is answered, never thrown.
 */
public final class KvExecution {
  private KvExecution() {}

  private static final Bytes BAD_OP = new BadOp().encode();

  /** Executes the encoded {@code op} on {@code table}; the encoded result. */
  public static Bytes execute(Bytes op, Table table) {
    try {
      if (YcsbOp.isYcsb(op)) return ycsb(YcsbOp.decode(op), table).encode();
      return apply(KvOp.decode(op), table).encode();
    } catch (MalformedMessage e) {
      return BAD_OP;
    }
  }

  /** Executes a decoded KV op. */
  public static KvResult apply(KvOp op, Table table) {
    return switch (op) {
      case KvOp.Get get -> get(table, get.key());
      case KvOp.Put put -> put(table, put.key(), put.value());
      case KvOp.Delete delete -> new DeleteResult(table.remove(delete.key()).isPresent());
      case KvOp.Scan scan -> scan(table, scan);
    };
  }

  private static GetResult get(Table table, Bytes key) {
    return table.get(key).map(GetResult::of).orElse(GetResult.absent());
  }

  private static KvResult put(Table table, Bytes key, Bytes value) {
    Optional<Bytes> previous = table.get(key);
    if (!table.put(key, value)) return new StoreFull();
    return previous.map(PutResult::replacing).orElse(PutResult.inserted());
  }

  private static ScanResult scan(Table table, KvOp.Scan scan) {
    List<Pair> pairs = new ArrayList<>();
    boolean[] truncated = {false};
    long[] resultBytes = {KvResult.SCAN_HEADER_BYTES};
    if (!scan.unbounded() && scan.fromKey().compareTo(scan.toKey()) >= 0) {
      return new ScanResult(pairs, false);
    }
    table.scan(
        scan.fromKey(),
        scan.toKey(),
        (key, value) -> {
          if (pairs.size() == scan.limit()) return false;
          resultBytes[0] += KvResult.scanPairBytes(key, value);
          if (resultBytes[0] > KvResult.RESULT_MAX) {
            truncated[0] = true;
            return false;
          }
          pairs.add(new Pair(key, value));
          return true;
        });
    return new ScanResult(pairs, truncated[0]);
  }

  /**
   * Executes a decoded YCSB op. A stored value that does not decode as {@link Fields} (a KV op put
   * it there) reads as a record with no fields, and a write replaces it.
   */
  public static YcsbResult ycsb(YcsbOp op, Table table) {
    return switch (op) {
      case YcsbOp.Read read ->
          record(table, read.key())
              .map(fields -> row(read.key(), fields.project(read.fields())))
              .orElse(YcsbResult.of(Status.NOT_FOUND));
      case YcsbOp.Update update -> update(table, update.key(), update.values());
      case YcsbOp.Insert insert -> write(table, insert.key(), insert.values());
      case YcsbOp.Scan scan -> scan(table, scan);
      case YcsbOp.ReadModifyWrite rmw -> {
        Optional<Fields> read = record(table, rmw.key());
        if (read.isEmpty()) yield YcsbResult.of(Status.NOT_FOUND);
        YcsbResult written = write(table, rmw.key(), read.get().merge(rmw.values()));
        if (written.status() != Status.OK) yield written;
        yield row(rmw.key(), read.get().project(rmw.fields()));
      }
    };
  }

  private static YcsbResult row(Bytes key, Fields fields) {
    return new YcsbResult(Status.OK, List.of(new Row(key, fields)), false);
  }

  private static Optional<Fields> record(Table table, Bytes key) {
    return table.get(key).map(KvExecution::fieldsOf);
  }

  private static Fields fieldsOf(Bytes value) {
    try {
      return Fields.decode(value);
    } catch (MalformedMessage e) {
      return Fields.empty();
    }
  }

  private static YcsbResult update(Table table, Bytes key, Fields values) {
    Optional<Fields> current = record(table, key);
    if (current.isEmpty()) return YcsbResult.of(Status.NOT_FOUND);
    return write(table, key, current.get().merge(values));
  }

  private static YcsbResult write(Table table, Bytes key, Fields values) {
    Bytes encoded = values.encode();
    if (encoded.length() > KvOp.VALUE_MAX) return YcsbResult.of(Status.STORE_FULL);
    return table.put(key, encoded) ? YcsbResult.ok() : YcsbResult.of(Status.STORE_FULL);
  }

  private static YcsbResult scan(Table table, YcsbOp.Scan scan) {
    List<Row> rows = new ArrayList<>();
    boolean[] truncated = {false};
    long[] resultBytes = {YcsbResult.HEADER_BYTES};
    table.scan(
        scan.startKey(),
        Bytes.EMPTY,
        (key, value) -> {
          if (rows.size() == scan.count()) return false;
          Fields fields = fieldsOf(value).project(scan.fields());
          resultBytes[0] += 4 + key.length() + fields.encodedBytes();
          if (resultBytes[0] > KvResult.RESULT_MAX) {
            truncated[0] = true;
            return false;
          }
          rows.add(new Row(key, fields));
          return true;
        });
    return new YcsbResult(Status.OK, rows, truncated[0]);
  }
}
