package oskr.protocol.vr;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import oskr.core.Address;
import oskr.core.Limits;
import oskr.protocol.vr.VrMessage.Request;

/**
 * The primary's requests not yet in the log, and its adaptive batching (VR §6.2): a batch closes at
 * {@code -b} requests, or at once while fewer than {@link #BATCHES_IN_FLIGHT_MAX} batches wait for
 * their commit and the queue has filled (as PBFT's primary batches); never with a timer. Also
 * remembers, per client, the request it queued or put in the log and has not executed, so that a
 * resent request is not appended twice. Owns only its queue and counts; the replica appends.
 */
final class Batcher {
  /** A batch closes early only while fewer batches than this are uncommitted. */
  static final int BATCHES_IN_FLIGHT_MAX = 2;

  /** Uncommitted batches at most: bounds what a DO-VIEW-CHANGE carries above its commit. */
  static final int PIPELINE_BATCHES_MAX = 8;

  /** A batch closes once its ops take this many bytes (it holds at least one request). */
  static final int BATCH_BYTES_MAX = 512 * 1024;

  /** The requests of one batch and, beside each, the client to reply to. */
  record Batch(List<Request> requests, List<Address> clients) {}

  /** What became of a request offered to the queue. */
  enum Offer {
    QUEUED,
    IN_PROGRESS,
    FULL
  }

  private final int batchSizeMax;
  private final ArrayDeque<Request> pending = new ArrayDeque<>();
  private final ArrayDeque<Address> pendingClients = new ArrayDeque<>();

  /** Per client id, the request number queued or in the log above execution (keyed lookups). */
  private final HashMap<Long, Long> ordering = new HashMap<>();

  /** The last op and the size of each uncommitted batch, oldest first. */
  private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();

  Batcher(int batchSizeMax) {
    this.batchSizeMax = batchSizeMax;
  }

  Offer offer(Request request, Address client) {
    Long ordered = ordering.get(request.clientId());
    if (ordered != null && ordered >= request.requestNumber()) return Offer.IN_PROGRESS;
    if (ordered == null && ordering.size() >= Limits.CLIENTS_MAX) return Offer.FULL;
    ordering.put(request.clientId(), request.requestNumber());
    pending.add(request);
    pendingClients.add(client);
    return Offer.QUEUED;
  }

  /**
   * The next batch to append after {@code lastOp}, or null while the queue should fill or the
   * pipeline is full.
   */
  Batch next(long commitNumber, long lastOp) {
    while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= commitNumber) inFlight.pollFirst();
    if (pending.isEmpty() || inFlight.size() >= PIPELINE_BATCHES_MAX) return null;
    boolean full = pending.size() >= batchSizeMax;
    if (!full && (inFlight.size() >= BATCHES_IN_FLIGHT_MAX || filling())) return null;
    int count = Math.min(pending.size(), batchSizeMax);
    List<Request> requests = new ArrayList<>(count);
    List<Address> clients = new ArrayList<>(count);
    long bytes = 0;
    while (!pending.isEmpty() && requests.size() < batchSizeMax && bytes < BATCH_BYTES_MAX) {
      Request request = pending.poll();
      bytes += request.op().length();
      requests.add(request);
      clients.add(pendingClients.poll());
    }
    inFlight.add(new long[] {lastOp + requests.size(), requests.size()});
    return new Batch(requests, clients);
  }

  /**
   * While batches are in flight, a short batch waits until the queue holds half as many requests as
   * they do: otherwise a closed loop alternates batches of one with large ones. Nothing waits for
   * ever: once no batch is in flight the queue closes whatever its size.
   */
  private boolean filling() {
    if (inFlight.isEmpty()) return false;
    long requestsInFlight = 0;
    for (long[] batch : inFlight) requestsInFlight += batch[1];
    return 2L * pending.size() < requestsInFlight;
  }

  /** A request executed: its client may send the next one. */
  void executed(Request request) {
    Long ordered = ordering.get(request.clientId());
    if (ordered != null && ordered <= request.requestNumber()) ordering.remove(request.clientId());
  }

  /** Not the primary any more: clients resend to the next one (§4.2). */
  void clear() {
    pending.clear();
    pendingClients.clear();
    ordering.clear();
    inFlight.clear();
  }

  /** Primary of a new view: its log's unexecuted requests are in progress, one batch in flight. */
  void enterView(VrLog log, long executed, long commitNumber) {
    clear();
    for (long op = Math.max(executed + 1, log.start()); op <= log.lastOp(); op++) {
      Request request = log.get(op);
      ordering.merge(request.clientId(), request.requestNumber(), Math::max);
    }
    if (log.lastOp() > commitNumber) {
      inFlight.add(new long[] {log.lastOp(), log.lastOp() - commitNumber});
    }
  }

  /** After a snapshot replaced the state: what it executed is no longer in progress. */
  void forgetExecuted(VrLog log, long executed) {
    ordering.clear();
    for (long op = Math.max(executed + 1, log.start()); op <= log.lastOp(); op++) {
      Request request = log.get(op);
      ordering.merge(request.clientId(), request.requestNumber(), Math::max);
    }
    for (Request request : pending) {
      ordering.merge(request.clientId(), request.requestNumber(), Math::max);
    }
  }
}
