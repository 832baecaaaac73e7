package oskr.cluster;

import java.util.HexFormat;
import java.util.Optional;
import oskr.app.KvOp;
import oskr.core.Bytes;

/**
 * One KV operation as a real client observed it: invoked and answered at wall-clock microseconds
 * (every client of one history runs in one process, so the times share a clock), with the result's
 * encoding, or none if no answer came. {@code finalRead} marks the reads made after the workload
 * stopped, which the lost-write check relies on.
 */
public record HistoryEntry(
    int client,
    long invokeMicros,
    Optional<Long> responseMicros,
    KvOp op,
    Optional<Bytes> result,
    boolean finalRead) {
  public HistoryEntry {
    if (responseMicros.isPresent() != result.isPresent()) {
      throw new IllegalArgumentException("a response time comes with a result, and only then");
    }
    if (responseMicros.isPresent() && responseMicros.get() < invokeMicros) {
      throw new IllegalArgumentException("response before invocation");
    }
    if (!(op instanceof KvOp.Get || op instanceof KvOp.Put)) {
      throw new IllegalArgumentException("the history workload sends Get and Put only");
    }
  }

  /**
   * One line of the history file: {@code CLIENT INVOKE RESPONSE|- F|W get KEY|put KEY VALUE
   * RESULT|-}.
   */
  String line() {
    String opText =
        switch (op) {
          case KvOp.Get get -> "get " + get.key().utf8String();
          case KvOp.Put put -> "put " + put.key().utf8String() + " " + put.value().utf8String();
          default -> throw new AssertionError(op);
        };
    return client
        + " "
        + invokeMicros
        + " "
        + responseMicros.map(String::valueOf).orElse("-")
        + " "
        + (finalRead ? "F" : "W")
        + " "
        + opText
        + " "
        + result.map(Bytes::hex).orElse("-");
  }

  /** Parses a {@link #line()}; {@link IllegalArgumentException} names what is wrong. */
  static HistoryEntry parse(String line) {
    String[] f = line.strip().split(" ");
    if (f.length < 6) throw new IllegalArgumentException("too few fields: " + line);
    int client = Integer.parseInt(f[0]);
    long invoke = Long.parseLong(f[1]);
    Optional<Long> response =
        f[2].equals("-") ? Optional.empty() : Optional.of(Long.parseLong(f[2]));
    boolean finalRead =
        switch (f[3]) {
          case "F" -> true;
          case "W" -> false;
          default -> throw new IllegalArgumentException("neither F nor W: " + line);
        };
    KvOp op;
    int resultField;
    switch (f[4]) {
      case "get" -> {
        op = new KvOp.Get(Bytes.utf8(f[5]));
        resultField = 6;
      }
      case "put" -> {
        if (f.length < 8) throw new IllegalArgumentException("too few fields: " + line);
        op = new KvOp.Put(Bytes.utf8(f[5]), Bytes.utf8(f[6]));
        resultField = 7;
      }
      default -> throw new IllegalArgumentException("unknown op: " + line);
    }
    if (f.length != resultField + 1) throw new IllegalArgumentException("field count: " + line);
    Optional<Bytes> result =
        f[resultField].equals("-")
            ? Optional.empty()
            : Optional.of(Bytes.adopt(HexFormat.of().parseHex(f[resultField])));
    return new HistoryEntry(client, invoke, response, op, result, finalRead);
  }
}
