package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * The requests a replica holds until they execute: every replica gets every request (clients send
 * to all), so whichever replica leads next can propose it. One request per client identity (the
 * latest), in arrival order; iteration follows insertion, so it is deterministic.
 */
final class Mempool {
  /** Client identities held at most; past it new clients' requests are dropped. */
  static final int CLIENTS_MAX = 1 << 16;

  private final LinkedHashMap<Long, Request> byClient = new LinkedHashMap<>();

  /** A request identity inside a batch, for excluding requests already in flight. */
  record RequestId(long identity, long requestNumber) {}

  boolean isEmpty() {
    return byClient.isEmpty();
  }

  int size() {
    return byClient.size();
  }

  /**
   * Holds {@code request} of client {@code identity} unless a request of it at least as new is held
   * already.
   *
   * @return false if it was not taken (not newer, or the pool is full)
   */
  boolean add(long identity, Request request) {
    Request held = byClient.get(identity);
    if (held != null && held.requestNumber() >= request.requestNumber()) return false;
    if (held == null && byClient.size() >= CLIENTS_MAX) return false;
    if (held != null) byClient.remove(identity); // the newer one goes to the back
    byClient.put(identity, request);
    return true;
  }

  /**
   * Whether {@code request} is held as it is, authentication included: it was verified on arrival,
   * so a proposal carrying it need not verify it again.
   */
  boolean holds(long identity, Request request) {
    return request.equals(byClient.get(identity));
  }

  /** Request {@code requestNumber} of the client was answered: older ones are of no use. */
  void answered(long identity, long requestNumber) {
    Request held = byClient.get(identity);
    if (held != null && held.requestNumber() <= requestNumber) byClient.remove(identity);
  }

  /** Up to {@code max} held requests, oldest first, skipping those in flight. */
  List<Request> batch(int max, Set<RequestId> inFlight) {
    List<Request> batch = new ArrayList<>(Math.min(max, byClient.size()));
    Iterator<Map.Entry<Long, Request>> entries = byClient.entrySet().iterator();
    while (batch.size() < max && entries.hasNext()) {
      Map.Entry<Long, Request> entry = entries.next();
      Request request = entry.getValue();
      if (!inFlight.contains(new RequestId(entry.getKey(), request.requestNumber()))) {
        batch.add(request);
      }
    }
    assert batch.size() <= max : "batch over its bound";
    return batch;
  }
}
