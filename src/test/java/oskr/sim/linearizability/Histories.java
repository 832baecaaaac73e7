package oskr.sim.linearizability;

import java.util.ArrayList;
import java.util.List;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.app.KvResult.Pair;
import oskr.core.Bytes;

/** Short builders for hand-written histories: keys and values are ASCII strings. */
final class Histories {
  private Histories() {}

  static Bytes b(String text) {
    return Bytes.utf8(text);
  }

  /** A Get that found {@code value}, or found nothing when {@code value} is null. */
  static Operation get(int client, long invoke, long response, String key, String value) {
    KvResult result = value == null ? KvResult.GetResult.absent() : KvResult.GetResult.of(b(value));
    return Operation.completed(client, invoke, response, new KvOp.Get(b(key)), result);
  }

  /** A Put that replaced {@code previous}, or inserted when {@code previous} is null. */
  static Operation put(
      int client, long invoke, long response, String key, String value, String previous) {
    KvResult result =
        previous == null
            ? KvResult.PutResult.inserted()
            : KvResult.PutResult.replacing(b(previous));
    return Operation.completed(client, invoke, response, new KvOp.Put(b(key), b(value)), result);
  }

  static Operation putTimedOut(int client, long invoke, String key, String value) {
    return Operation.timedOut(client, invoke, new KvOp.Put(b(key), b(value)));
  }

  static Operation delete(int client, long invoke, long response, String key, boolean existed) {
    return Operation.completed(
        client, invoke, response, new KvOp.Delete(b(key)), new KvResult.DeleteResult(existed));
  }

  /** A Scan of [from, to) with {@code limit} that returned {@code keyValues} (key, value, ...). */
  static Operation scan(
      int client,
      long invoke,
      long response,
      String from,
      String to,
      int limit,
      String... keyValues) {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      pairs.add(new Pair(b(keyValues[i]), b(keyValues[i + 1])));
    }
    return Operation.completed(
        client,
        invoke,
        response,
        new KvOp.Scan(b(from), b(to), limit),
        new KvResult.ScanResult(pairs, false));
  }
}
