package oskr.protocol.zyzzyva;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ClientKey;

/**
 * At-most-once execution under speculation: per client (its key and id) the latest executed
 * request, its result and where it executed, with an undo log per sequence number so that a
 * rollback restores the records as they were (the app rolls back its own state). Part of the
 * checkpointed state. Sorted maps only, so encodings and iteration are deterministic.
 */
final class ClientRecords {
  /** The latest executed request of a client, at (seq, h_seq). */
  record Record(long requestNumber, Bytes result, long seq, Digest historyDigest) {}

  private record Undo(ClientKey key, Record previous) {}

  private final int clientsMax;
  private final TreeMap<ClientKey, Record> records = new TreeMap<>();
  private final TreeMap<Long, List<Undo>> undo = new TreeMap<>();

  ClientRecords(int clientsMax) {
    this.clientsMax = clientsMax;
  }

  Record get(ClientKey key) {
    return records.get(key);
  }

  /** Whether the request is newer than the client's latest executed one, and fits the table. */
  boolean isNew(ClientKey key, long requestNumber) {
    Record record = records.get(key);
    if (record == null) return records.size() < clientsMax;
    return requestNumber > record.requestNumber();
  }

  void record(ClientKey key, long requestNumber, Bytes result, long seq, Digest historyDigest) {
    assert isNew(key, requestNumber) : "recorded an old request";
    assert undo.isEmpty() || undo.lastKey() <= seq : "records out of sequence order";
    Record previous = records.put(key, new Record(requestNumber, result, seq, historyDigest));
    undo.computeIfAbsent(seq, s -> new ArrayList<>()).add(new Undo(key, previous));
  }

  /** Undoes every record made above {@code seq}, latest first. */
  void rollback(long seq) {
    while (!undo.isEmpty() && undo.lastKey() > seq) {
      List<Undo> undone = undo.pollLastEntry().getValue();
      for (int i = undone.size() - 1; i >= 0; i--) {
        Undo step = undone.get(i);
        if (step.previous() == null) {
          records.remove(step.key());
        } else {
          records.put(step.key(), step.previous());
        }
      }
    }
  }

  /** Records up to {@code seq} are final: forget how to undo them. */
  void commit(long seq) {
    undo.headMap(seq, true).clear();
  }

  int size() {
    return records.size();
  }

  void encode(Writer out) {
    out.u32(records.size());
    for (Map.Entry<ClientKey, Record> entry : records.entrySet()) {
      Record record = entry.getValue();
      out.bytes(entry.getKey().key()).i64(entry.getKey().id());
      out.u64(record.requestNumber()).bytes(record.result()).u64(record.seq());
      out.digest(record.historyDigest());
    }
  }

  /** Reads records written by {@link #encode}: at most {@code clientsMax}, sorted, each once. */
  static ClientRecords decode(Reader in, int clientsMax) throws MalformedMessage {
    ClientRecords decoded = new ClientRecords(clientsMax);
    int count = in.count(clientsMax);
    ClientKey previous = null;
    for (int i = 0; i < count; i++) {
      ClientKey key = new ClientKey(in.bytes(ZyzzyvaMessage.Request.CLIENT_KEY_MAX), in.i64());
      if (previous != null && previous.compareTo(key) >= 0) {
        throw MalformedMessage.of("ClientRecords.order");
      }
      previous = key;
      long requestNumber = Codecs.positive(in, "ClientRecords.requestNumber");
      Bytes result = in.bytes(Limits.OP_MAX);
      long seq = in.u64();
      decoded.records.put(key, new Record(requestNumber, result, seq, in.digest()));
    }
    return decoded;
  }
}
