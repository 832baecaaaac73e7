package oskr.sim.linearizability;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.StringJoiner;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;

/** Short readable text for keys, values, operations and results in checker reports. */
public final class HistoryFormat {
  private static final int BYTES_SHOWN_MAX = 24;

  private HistoryFormat() {}

  /** Printable ASCII in quotes, anything else as hex; long strings are cut with their length. */
  public static String bytes(Bytes value) {
    boolean printable = true;
    for (int i = 0; i < value.length() && printable; i++) {
      byte b = value.get(i);
      printable = b >= 0x20 && b < 0x7f && b != '"' && b != '\\';
    }
    int shown = Math.min(value.length(), BYTES_SHOWN_MAX);
    StringBuilder text = new StringBuilder();
    if (printable) {
      String ascii = new String(value.unsafeArray(), 0, shown, StandardCharsets.US_ASCII);
      text.append('"').append(ascii).append('"');
    } else {
      text.append("0x").append(HexFormat.of().formatHex(value.unsafeArray(), 0, shown));
    }
    if (shown < value.length()) text.append("…(").append(value.length()).append(" B)");
    return text.toString();
  }

  public static String op(KvOp op) {
    return switch (op) {
      case KvOp.Get get -> "Get(" + bytes(get.key()) + ")";
      case KvOp.Put put -> "Put(" + bytes(put.key()) + ", " + bytes(put.value()) + ")";
      case KvOp.Delete delete -> "Delete(" + bytes(delete.key()) + ")";
      case KvOp.Scan scan ->
          "Scan(["
              + bytes(scan.fromKey())
              + ", "
              + (scan.unbounded() ? "end" : bytes(scan.toKey()))
              + "), limit "
              + scan.limit()
              + ")";
    };
  }

  public static String result(KvResult result) {
    return switch (result) {
      case null -> "timed out";
      case KvResult.GetResult get -> get.found() ? "found " + bytes(get.value()) : "absent";
      case KvResult.PutResult put ->
          put.replaced() ? "replaced " + bytes(put.previous()) : "inserted";
      case KvResult.DeleteResult delete -> delete.existed() ? "existed" : "was absent";
      case KvResult.ScanResult scan -> pairs(scan);
      case KvResult.StoreFull _ -> "store full";
      case KvResult.BadOp _ -> "bad op";
    };
  }

  private static String pairs(KvResult.ScanResult scan) {
    StringJoiner text = new StringJoiner(", ", "[", scan.truncated() ? "] truncated" : "]");
    for (KvResult.Pair pair : scan.pairs()) {
      text.add(bytes(pair.key()) + ": " + bytes(pair.value()));
    }
    return text.toString();
  }

  /** One line: index, client, interval, operation and result. */
  static String operation(int index, Operation operation) {
    String response = operation.isTimedOut() ? "never" : Long.toString(operation.responseTime());
    return "#%d client %d [%d, %s] %s -> %s"
        .formatted(
            index,
            operation.client(),
            operation.invokeTime(),
            response,
            op(operation.op()),
            result(operation.result()));
  }
}
