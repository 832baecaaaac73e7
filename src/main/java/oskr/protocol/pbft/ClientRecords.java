package oskr.protocol.pbft;

import java.util.Map;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * At-most-once execution (TOCS §4.2, the last reply sent to each client): per client, the number of
 * its latest executed request and that request's result. Part of the checkpointed state, so it is
 * sorted (canonical snapshot bytes) and travels with state transfer.
 */
final class ClientRecords {
  record Entry(long requestNumber, Bytes result) {}

  private final TreeMap<Long, Entry> entries = new TreeMap<>();

  /** The latest executed request number of {@code clientId}, 0 if none. */
  long lastExecuted(long clientId) {
    Entry entry = entries.get(clientId);
    return entry == null ? 0 : entry.requestNumber();
  }

  /** The result of the client's latest executed request; call only when there is one. */
  Bytes lastResult(long clientId) {
    return entries.get(clientId).result();
  }

  boolean isFull() {
    return entries.size() >= Limits.CLIENTS_MAX;
  }

  void record(long clientId, long requestNumber, Bytes result) {
    assert requestNumber > lastExecuted(clientId) : "executed twice";
    entries.put(clientId, new Entry(requestNumber, result));
  }

  int size() {
    return entries.size();
  }

  void encode(Writer out) {
    out.u32(entries.size());
    for (Map.Entry<Long, Entry> entry : entries.entrySet()) {
      out.i64(entry.getKey())
          .u64(entry.getValue().requestNumber())
          .bytes(entry.getValue().result());
    }
  }

  /** Replaces the content with a decoded snapshot (verified against a digest beforehand). */
  void decode(Reader in) throws MalformedMessage {
    int count = in.count(Limits.CLIENTS_MAX);
    TreeMap<Long, Entry> decoded = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      long clientId = in.i64();
      long requestNumber = in.u64();
      decoded.put(clientId, new Entry(requestNumber, in.bytes(Limits.OP_MAX)));
    }
    entries.clear();
    entries.putAll(decoded);
  }
}
