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

  private final TreeMap<ClientIdentity, Entry> entries = new TreeMap<>();

  /** The latest executed request number of {@code client}, 0 if none. */
  long lastExecuted(ClientIdentity client) {
    Entry entry = entries.get(client);
    return entry == null ? 0 : entry.requestNumber();
  }

  /** The result of the client's latest executed request; call only when there is one. */
  Bytes lastResult(ClientIdentity client) {
    return entries.get(client).result();
  }

  boolean isFull() {
    return entries.size() >= Limits.CLIENTS_MAX;
  }

  void record(ClientIdentity client, long requestNumber, Bytes result) {
    assert requestNumber > lastExecuted(client) : "executed twice";
    entries.put(client, new Entry(requestNumber, result));
  }

  int size() {
    return entries.size();
  }

  void encode(Writer out) {
    out.u32(entries.size());
    for (Map.Entry<ClientIdentity, Entry> entry : entries.entrySet()) {
      out.bytes(entry.getKey().key());
      out.i64(entry.getKey().id())
          .u64(entry.getValue().requestNumber())
          .bytes(entry.getValue().result());
    }
  }

  /** Replaces the content with a decoded snapshot (verified against a digest beforehand). */
  void decode(Reader in) throws MalformedMessage {
    int count = in.count(Limits.CLIENTS_MAX);
    TreeMap<ClientIdentity, Entry> decoded = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      Bytes key = in.bytes(PbftMessage.Request.CLIENT_KEY_MAX);
      ClientIdentity clientId = new ClientIdentity(key, in.i64());
      long requestNumber = in.u64();
      decoded.put(clientId, new Entry(requestNumber, in.bytes(Limits.OP_MAX)));
    }
    entries.clear();
    entries.putAll(decoded);
  }
}
