package oskr.protocol.pbft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * Client requests at a replica (TOCS §4.2, §4.4) and the primary's adaptive batching (§5.1): the
 * primary queues new requests and closes batches; a backup relays a request to the primary and
 * waits for it to execute, with its view-change timer running meanwhile.
 */
final class Requests {
  static final String STALE_REQUEST = "stale request";
  static final String REQUEST_IN_PROGRESS = "request in progress";
  static final String CLIENT_TABLE_FULL = "client table full";
  static final String STALE_REJECT = "reject of no pending pre-prepare of ours";

  /** Adaptive batching: a batch closes early only while fewer batches than this are in flight. */
  static final int BATCHES_IN_FLIGHT_MAX = 2;

  /** A request's fixed fields (ids, address, key and lengths), counted towards the batch bytes. */
  static final int REQUEST_OVERHEAD_BYTES = 128;

  private final PbftReplica replica;

  /**
   * A batch closes once its requests take this many bytes (it holds at least one request): a
   * NEW-VIEW carries 2f+1 VIEW-CHANGEs (with MACs up to n) of up to L batches each and must fit
   * {@link Limits#FRAME_MAX}, whatever the operation size.
   */
  private final long batchBytesMax;

  /** Primary: requests not yet in a batch, and the request number queued or ordered per client. */
  private final ArrayDeque<Request> pending = new ArrayDeque<>();

  private final HashMap<ClientIdentity, Long> ordering = new HashMap<>();

  /** Primary: the size of each batch it proposed that has not executed yet (at most L). */
  private final TreeMap<Long, Integer> proposedSizes = new TreeMap<>();

  /**
   * Primary: per sequence number whose PRE-PREPARE backups rejected, the rejecting replicas (bits)
   * and the batch positions they could not authenticate (at most L entries).
   */
  private final TreeMap<Long, Rejections> rejections = new TreeMap<>();

  private static final class Rejections {
    long replicas;
    final TreeSet<Integer> unverified = new TreeSet<>();
  }

  /** Backup: per client, the request it waits to see executed (the view-change timer runs). */
  private final TreeMap<ClientIdentity, Request> waiting = new TreeMap<>();

  /** The last sequence number assigned: by us as primary, or by the NEW-VIEW we entered. */
  private long lastAssignedSeq;

  /** What {@link #onRequest} did with a request. */
  enum Disposition {
    /** Dropped (counted), or answered from the client table. */
    HANDLED,
    /** Queued for a batch of ours (primary). */
    QUEUED,
    /** A backup: awaited now; the replica relays it to the primary and runs its timer. */
    AWAITED
  }

  Requests(PbftReplica replica) {
    this.replica = replica;
    long viewChanges = replica.macs() ? replica.config.n() : 2L * replica.f + 1;
    long certificates = viewChanges * replica.settings.watermarkWindow();
    this.batchBytesMax = Math.max(1, Limits.FRAME_MAX / certificates - 1024);
  }

  Disposition onRequest(Request m) {
    long executed = replica.execution.lastExecuted(ClientIdentity.of(m));
    if (m.requestNumber() < executed) {
      replica.drops.count(STALE_REQUEST);
      return Disposition.HANDLED;
    }
    if (m.requestNumber() == executed) {
      replica.execution.resendReply(m);
      return Disposition.HANDLED;
    }
    if (!replica.isNormal()) {
      replica.drops.count(PbftReplica.VIEW_CHANGING);
      return Disposition.HANDLED;
    }
    if (replica.isPrimary()) {
      enqueue(m);
      return Disposition.QUEUED;
    }
    waitFor(m);
    return Disposition.AWAITED;
  }

  long lastAssigned() {
    return lastAssignedSeq;
  }

  /** The next batch of ours takes the number after {@code seq} at the earliest. */
  void assignedAtLeast(long seq) {
    if (lastAssignedSeq < seq) lastAssignedSeq = seq;
  }

  /** A NEW-VIEW decided every number up to {@code seq}: the next batch takes the one after. */
  void assignedExactly(long seq) {
    lastAssignedSeq = seq;
  }

  /** Whether this backup waits for a request to execute (its view-change timer should run). */
  boolean awaitsAny() {
    return !waiting.isEmpty();
  }

  private void enqueue(Request m) {
    Long ordered = ordering.get(ClientIdentity.of(m));
    if (ordered != null && ordered >= m.requestNumber()) {
      replica.drops.count(REQUEST_IN_PROGRESS);
      return;
    }
    if (ordering.size() >= Limits.CLIENTS_MAX) {
      replica.drops.count(CLIENT_TABLE_FULL);
      return;
    }
    ordering.put(ClientIdentity.of(m), m.requestNumber());
    pending.add(m);
    proposeBatches();
  }

  /**
   * While batches are in flight, a short batch waits until the queue holds half as many requests as
   * the batches in flight. Without this a closed loop alternates: when a batch executes, the first
   * request that arrives leaves alone (a batch of one costs the signatures of a full one) and the
   * rest queue behind it. Nothing waits for ever: once no batch is in flight (all executed, or
   * replaced by a view change) the queue closes whatever its size.
   */
  private boolean fillingWhileInFlight() {
    if (lastAssignedSeq == replica.lastExecuted()) return false;
    proposedSizes.headMap(replica.lastExecuted(), true).clear();
    long requestsInFlight = 0;
    for (int size : proposedSizes.values()) requestsInFlight += size;
    return 2L * pending.size() < requestsInFlight;
  }

  private void waitFor(Request m) {
    if (waiting.size() >= Limits.CLIENTS_MAX && !waiting.containsKey(ClientIdentity.of(m))) return;
    Request known = waiting.get(ClientIdentity.of(m));
    if (known == null || known.requestNumber() < m.requestNumber())
      waiting.put(ClientIdentity.of(m), m);
  }

  /** In a new view, a backup relays the requests it still waits for to the new primary. */
  void relayWaiting() {
    if (replica.isPrimary()) {
      List<Request> requests = new ArrayList<>(waiting.values());
      waiting.clear(); // the primary orders them now, it does not wait for itself
      for (Request request : requests) onRequest(request);
      return;
    }
    for (Request request : waiting.values())
      replica.context.sendToReplica(replica.primary(), request);
  }

  /**
   * Adaptive batching: close a batch at {@code -b} requests, or at once while fewer than {@link
   * #BATCHES_IN_FLIGHT_MAX} batches are in flight and the queue has filled ({@link
   * #fillingWhileInFlight}); never beyond the high watermark.
   */
  void proposeBatches() {
    if (!replica.isNormal()
        || !replica.isPrimary()
        || replica.lastExecuted() < replica.watermarkLow()) return;
    while (!pending.isEmpty()
        && lastAssignedSeq < replica.watermarkLow() + replica.settings.watermarkWindow()) {
      long inFlight = lastAssignedSeq - replica.lastExecuted();
      boolean full = pending.size() >= replica.options.batchSizeMax();
      if (!full && (inFlight >= BATCHES_IN_FLIGHT_MAX || fillingWhileInFlight())) return;
      List<Request> batch =
          new ArrayList<>(Math.min(pending.size(), replica.options.batchSizeMax()));
      long batchBytes = 0;
      while (!pending.isEmpty()
          && batch.size() < replica.options.batchSizeMax()
          && batchBytes < batchBytesMax) {
        Request request = pending.poll();
        // Executed meanwhile (re-proposed in a NEW-VIEW, or ordered twice after a relay).
        if (request.requestNumber() > replica.execution.lastExecuted(ClientIdentity.of(request))) {
          batch.add(request);
          batchBytes += REQUEST_OVERHEAD_BYTES + request.op().length() + request.auth().length();
        }
      }
      if (batch.isEmpty()) return;
      lastAssignedSeq++;
      long seq = lastAssignedSeq;
      proposedSizes.headMap(replica.lastExecuted(), true).clear();
      proposedSizes.put(seq, batch.size());
      long batchView = replica.view();
      replica.submit(
          crypto -> {
            PrePrepare unsigned =
                new PrePrepare(batchView, seq, Batches.digest(batch, crypto), batch, Bytes.EMPTY);
            return unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned));
          },
          replica.agreement::onOwnPrePrepareSigned);
    }
  }

  /** A request executed: it is no longer ordered, nor awaited. */
  void onExecuted(Request request) {
    ClientIdentity clientId = ClientIdentity.of(request);
    Long ordered = ordering.get(clientId);
    if (ordered != null && ordered <= request.requestNumber()) ordering.remove(clientId);
    Request awaited = waiting.get(clientId);
    if (awaited != null && awaited.requestNumber() <= request.requestNumber()) {
      waiting.remove(clientId);
    }
  }

  /** After a state transfer: forget awaited requests the installed state has executed. */
  void forgetExecuted() {
    waiting
        .values()
        .removeIf(
            request ->
                request.requestNumber()
                    <= replica.execution.lastExecuted(ClientIdentity.of(request)));
  }

  /** A view change discards the primary's queue; clients resend (TOCS §4.4). */
  void clearPrimaryState() {
    pending.clear();
    ordering.clear();
    proposedSizes.clear();
    rejections.clear();
  }

  /**
   * Primary: a backup rejects our PRE-PREPARE, as it cannot authenticate some of its requests and
   * no f PREPAREs vouched for them ({@link PrePrepares}). Once 2f+1 backups did, at least f+1 of
   * them correct never PREPARE it, so at most 2f-1 backups can: it never prepares anywhere, and we
   * may order the null request at its sequence number instead. Deviation: PBFT has a primary
   * pre-prepare one batch per (v, n); this lets a faulty client whose authenticator only the
   * primary accepts cost a null request instead of a view change.
   */
  void onReject(Reject m) {
    if (m.view() != replica.view() || !replica.isNormal() || !replica.isPrimary()) {
      replica.drops.count(PbftReplica.WRONG_VIEW);
      return;
    }
    Slot slot = replica.inWatermarks(m.seq()) ? replica.existingSlot(m.seq()) : null;
    PrePrepare ours = slot == null ? null : slot.prePrepare();
    if (ours == null
        || slot.view() != replica.view()
        || !ours.digest().equals(m.digest())
        || ours.batch().isEmpty()
        || slot.isPrepared(replica.f)) {
      replica.drops.count(STALE_REJECT);
      return;
    }
    rejections.headMap(replica.lastExecuted(), true).clear();
    Rejections rejected = rejections.computeIfAbsent(m.seq(), seq -> new Rejections());
    long bit = 1L << m.replica();
    if ((rejected.replicas & bit) != 0) {
      replica.drops.count(PbftReplica.DUPLICATE);
      return;
    }
    rejected.replicas |= bit;
    for (int position : m.unverified()) {
      if (position < ours.batch().size()) rejected.unverified.add(position);
    }
    if (Long.bitCount(rejected.replicas) < 2 * replica.f + 1) return;
    rejections.remove(m.seq());
    proposeNullInstead(ours, rejected.unverified);
  }

  /** Re-proposes {@code rejected}'s sequence number with the null request, then its requests. */
  private void proposeNullInstead(PrePrepare rejected, TreeSet<Integer> unverified) {
    long view = rejected.view();
    long seq = rejected.seq();
    replica.submit(
        crypto -> {
          PrePrepare unsigned =
              new PrePrepare(view, seq, Batches.NULL_DIGEST, List.of(), Bytes.EMPTY);
          return unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned));
        },
        signed -> {
          if (!replica.agreement.replaceOwnPrePrepare(rejected, signed)) return;
          requeue(rejected.batch(), unverified);
          proposedSizes.put(seq, 0);
          proposeBatches();
        });
  }

  /**
   * The requests of a rejected batch go back to the front of the queue, except those a backup could
   * not authenticate: those are forgotten, so that a correct client's resend is ordered again.
   */
  private void requeue(List<Request> batch, TreeSet<Integer> unverified) {
    for (int i = batch.size() - 1; i >= 0; i--) {
      Request request = batch.get(i);
      if (!unverified.contains(i)) {
        pending.addFirst(request);
        continue;
      }
      Long ordered = ordering.get(ClientIdentity.of(request));
      if (ordered != null && ordered == request.requestNumber()) {
        ordering.remove(ClientIdentity.of(request));
      }
    }
  }
}
