package oskr.protocol.zyzzyva;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Options;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.zyzzyva.History.Slot;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ClientKey;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FetchState;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FillHole;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Pom;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.State;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/**
 * A Zyzzyva replica: the normal case (ORDER-REQ, speculative execution, SPEC-RESPONSE), requests
 * and commit certificates from clients, fill-hole, and the dispatch to the parts that own the rest
 * ({@link ReplicaCore} holds the state every part reads; {@link Commits}, {@link ViewChanges}).
 * Only this class and {@link ReplicaCore} change the view, the history and execution.
 */
final class ZyzzyvaReplica extends ReplicaCore implements Replica<ZyzzyvaMessage> {
  static final String STALE_REQUEST = "stale request";
  static final String WRONG_VIEW = "wrong view";
  static final String CHANGING_VIEWS = "changing views";
  static final String DUPLICATE_ORDER = "order already in the history";
  static final String OUTSIDE_WINDOW = "outside the window";
  static final String NOT_PRIMARY = "not the primary";
  static final String AT_REPLICA = "client message sent to a replica";
  static final String CLIENTS_FULL = "client records full";
  static final String FORKED_ORDER = "order does not extend the history";

  /** Orders a backup keeps beyond a gap, and at most answered per FILL-HOLE. */
  static final int HELD_ORDERS_MAX = 256;

  /** Requests the primary queues, and a backup tracks as relayed. */
  static final int QUEUE_MAX = 1 << 16;

  // The primary: requests to order, the keys queued, whether a batch is being signed.
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private final TreeSet<ClientKey> queued = new TreeSet<>();
  private boolean ordering;

  // A backup: orders beyond a gap, and requests relayed to the primary, not executed yet.
  private final TreeMap<Long, OrderReq> held = new TreeMap<>();
  private final TreeMap<ClientKey, Long> relayed = new TreeMap<>();

  /** Executed requests whose clients retried them before any certificate covered them. */
  private final TreeMap<ClientKey, Long> doubted = new TreeMap<>();

  ZyzzyvaReplica(ReplicaSetup<ZyzzyvaMessage> setup, NewViewRule.Kind rule) {
    super(setup, rule);
  }

  @Override
  public void onStart() {
    ordering = false; // a signing job in flight died with a crash that kept our state
    context.setTimer(ZyzzyvaTimer.RETRANSMIT, options.resendTimeout());
  }

  @Override
  public void onMessage(Address from, ZyzzyvaMessage message) {
    switch (message) {
      case Request m -> onRequest(m);
      case OrderReq m -> onOrderReq(from, m);
      case SpecResponse m -> drops.count(AT_REPLICA);
      case Commit m -> onCommit(from, m);
      case LocalCommit m -> drops.count(AT_REPLICA);
      case FillHole m -> onFillHole(from, m);
      case Vote m -> onVote(m);
      case Checkpoint m -> onCheckpoint(m);
      case ViewChange m -> onViewChange(m);
      case NewView m -> onNewView(m);
      case Pom m -> onPom(m);
      case FetchState m -> onFetchState(m);
      case State m -> onState(m);
    }
    assert invariantsHold();
  }

  @Override
  public void onTimer(TimerKey key) {
    switch ((ZyzzyvaTimer) key) {
      case PROGRESS -> {
        long committed = committedSeq();
        doubted.values().removeIf(seq -> seq <= committed);
        if (status == Status.NORMAL
            && (!relayed.isEmpty() || !held.isEmpty() || !doubted.isEmpty())) {
          startViewChange(view + 1);
        }
      }
      case VIEW_CHANGE -> {
        if (status == Status.VIEW_CHANGE) startViewChange(view + 1);
      }
      case RETRANSMIT -> onRetransmit();
      case RESEND -> throw new IllegalStateException("a client timer at a replica");
    }
    assert invariantsHold();
  }

  @Override
  public Drops drops() {
    return drops;
  }

  // ---- Requests (SOSP'07 §3.1 step 1, §3.3) ----

  private void onRequest(Request request) {
    ClientKey key = request.key();
    ClientRecords.Record record = records.get(key);
    if (record != null && request.requestNumber() < record.requestNumber()) {
      drops.count(STALE_REQUEST);
      return;
    }
    if (record != null && request.requestNumber() == record.requestNumber()) {
      answerAgain(request, record);
      return;
    }
    if (!records.isNew(key, request.requestNumber())) {
      drops.count(CLIENTS_FULL);
      return;
    }
    if (status != Status.NORMAL) {
      drops.count(CHANGING_VIEWS);
      return;
    }
    if (isPrimary()) {
      enqueue(request);
      orderNext();
      return;
    }
    // SOSP'07 §3.3: a backup relays a request the client sent to all, and expects it ordered.
    Long relayedNumber = relayed.get(key);
    if (relayedNumber != null && relayedNumber >= request.requestNumber()) return;
    if (relayed.size() >= QUEUE_MAX) return;
    relayed.put(key, request.requestNumber());
    context.sendToReplica(primary(view), request);
    context.setTimer(ZyzzyvaTimer.PROGRESS, settings.viewChangeTimeout());
  }

  private void enqueue(Request request) {
    if (queue.size() >= QUEUE_MAX || !queued.add(request.key())) return;
    queue.addLast(request);
  }

  /**
   * Adaptive batching: the primary closes a batch when the previous one is signed, so requests that
   * arrive meanwhile share the next ORDER-REQ; never on a timer.
   */
  private void orderNext() {
    if (!isPrimary() || status != Status.NORMAL || ordering || queue.isEmpty()) return;
    if (history.lastSeq() >= commits.stable().seq() + settings.window()) return;
    List<Request> batch = new ArrayList<>();
    while (!queue.isEmpty() && batch.size() < options.batchSizeMax()) {
      Request request = queue.pollFirst();
      queued.remove(request.key());
      if (records.isNew(request.key(), request.requestNumber())) batch.add(request);
    }
    if (batch.isEmpty()) return;
    ordering = true;
    long orderView = view;
    long seq = history.lastSeq() + 1;
    Digest previous = history.lastDigest();
    context.submit(
        crypto -> {
          Digest batchDigest = Codecs.batchDigest(batch, crypto.sha256(), new Writer(256));
          Digest digest = Codecs.historyDigest(previous, batchDigest, crypto.sha256());
          OrderReq order = new OrderReq(orderView, seq, previous, digest, batch, Bytes.EMPTY);
          return Auth.authenticateOrder(crypto, order);
        },
        this::onOrderSigned);
  }

  private void onOrderSigned(OrderReq order) {
    ordering = false;
    if (order.view() != view || status != Status.NORMAL || order.seq() != history.lastSeq() + 1) {
      for (Request request : order.batch()) enqueue(request); // a view change overtook it
      return;
    }
    context.broadcast(order);
    accept(order);
    orderNext();
  }

  // ---- ORDER-REQ at a backup (SOSP'07 §3.1 step 3, §3.4 fill-hole) ----

  private void onOrderReq(Address from, OrderReq order) {
    if (order.view() > view) {
      askForView(from);
      drops.count(WRONG_VIEW);
      return;
    }
    if (order.view() < view) {
      tellView(from);
      drops.count(WRONG_VIEW);
      return;
    }
    if (status != Status.NORMAL) {
      drops.count(CHANGING_VIEWS);
      return;
    }
    if (order.seq() <= history.lastSeq()) {
      drops.count(DUPLICATE_ORDER);
      return;
    }
    if (order.seq() > commits.stable().seq() + settings.window()) {
      drops.count(OUTSIDE_WINDOW);
      return;
    }
    if (order.seq() > history.lastSeq() + 1) {
      holdBeyondGap(order);
      return;
    }
    if (!order.previousDigest().equals(history.lastDigest())) {
      // A correct primary extends the history every correct replica shares in this view.
      drops.count(FORKED_ORDER);
      startViewChange(view + 1);
      return;
    }
    accept(order);
    acceptHeld();
  }

  private void holdBeyondGap(OrderReq order) {
    if (held.size() >= HELD_ORDERS_MAX && !held.containsKey(order.seq())) {
      drops.count(OUTSIDE_WINDOW);
      return;
    }
    boolean newGap = held.isEmpty();
    held.put(order.seq(), order);
    if (newGap) {
      long to = held.firstKey() - 1;
      context.sendToReplica(primary(view), new FillHole(view, history.lastSeq() + 1, to, index));
      context.setTimer(ZyzzyvaTimer.PROGRESS, settings.viewChangeTimeout());
    }
  }

  private void acceptHeld() {
    while (!held.isEmpty() && held.firstKey() <= history.lastSeq() + 1 && status == Status.NORMAL) {
      OrderReq next = held.pollFirstEntry().getValue();
      if (next.seq() <= history.lastSeq()) continue;
      if (!next.previousDigest().equals(history.lastDigest()) || next.view() != view) {
        drops.count(FORKED_ORDER);
        startViewChange(view + 1);
        return;
      }
      accept(next);
    }
    if (held.isEmpty() && relayed.isEmpty() && doubted.isEmpty()) {
      context.cancelTimer(ZyzzyvaTimer.PROGRESS);
    }
  }

  /** Executes an order speculatively and answers every client of its batch. */
  private void accept(OrderReq order) {
    List<SpecResponse> responses = new ArrayList<>();
    List<Request> answered = new ArrayList<>();
    for (Request request : order.batch()) {
      SpecResponse response = execute(request, order.seq(), order.historyDigest(), order);
      if (response != null) {
        responses.add(response);
        answered.add(request);
      }
      relayed.remove(request.key());
    }
    appendSlot(order);
    if (held.isEmpty() && relayed.isEmpty() && doubted.isEmpty()) {
      context.cancelTimer(ZyzzyvaTimer.PROGRESS);
    }
    signAndSend(responses, answered);
    afterAppend(order.seq());
  }

  /** One job per slot: one signature for the batch, one MAC per client (see Auth). */
  private void signAndSend(List<SpecResponse> responses, List<Request> requests) {
    if (responses.isEmpty()) return;
    context.submit(
        crypto -> authenticate(crypto, responses, requests),
        signed -> {
          for (int i = 0; i < signed.size(); i++) {
            context.send(requests.get(i).client(), signed.get(i));
          }
        });
  }

  /** A retried request that already executed: its LOCAL-COMMIT if committed, else SPEC-RESPONSE. */
  private void answerAgain(Request request, ClientRecords.Record record) {
    // The client retries a request that executed here: it did not hear 2f+1 matching answers.
    // With another replica already gone to a later view (a correct one the primary forked
    // away, say), join it, or the client may never hear 2f+1 again.
    OptionalLong later = viewChanges.smallestAbove(view, index);
    if (status == Status.NORMAL && later.isPresent()) {
      startViewChange(later.getAsLong());
      return;
    }
    if (record.seq() > committedSeq() && status == Status.NORMAL && !isPrimary()) {
      // SOSP'07 §3.3 case 4: the client heard fewer than 2f+1 matching answers for a request
      // that executed here. If no certificate covers it in time, the primary is suspect.
      if (doubted.size() < QUEUE_MAX) doubted.put(request.key(), record.seq());
      if (doubted.size() == 1)
        context.setTimer(ZyzzyvaTimer.PROGRESS, settings.viewChangeTimeout());
    }
    if (record.seq() <= committedSeq()) {
      sendLocalCommit(request.client(), request.clientKey(), record, request);
      return;
    }
    Slot slot = history.slot(record.seq());
    if (slot == null) return;

    SpecResponse response =
        new SpecResponse(
            slot.view(),
            record.seq(),
            record.historyDigest(),
            request.clientId(),
            request.requestNumber(),
            record.result(),
            index,
            slot.orderAuth(),
            Bytes.EMPTY,
            Bytes.EMPTY);
    signAndSend(List.of(response), List.of(request));
  }

  private void sendLocalCommit(
      Address client, Bytes clientKey, ClientRecords.Record record, Request request) {
    LocalCommit commit =
        new LocalCommit(
            view,
            record.seq(),
            record.historyDigest(),
            request.clientId(),
            request.requestNumber(),
            record.result(),
            index,
            Bytes.EMPTY);
    context.submit(
        crypto -> commit.withAuth(Auth.localCommitAuth(crypto, commit, clientKey)),
        signed -> context.send(client, signed));
  }

  // ---- COMMIT from a client (SOSP'07 §3.2) ----

  private void onCommit(Address from, Commit commit) {
    CommitCert cert = commit.cert();
    if (!hold(cert)) {
      if (cert.seq() > history.lastSeq()) askForOrders(cert.seq());
      return;
    }
    ClientRecords.Record record = records.get(new ClientKey(commit.clientKey(), commit.clientId()));
    if (record == null
        || record.requestNumber() != commit.requestNumber()
        || !record.result().equals(commit.result())
        || record.seq() != cert.seq()
        || !record.historyDigest().equals(cert.historyDigest())) {
      return;
    }
    LocalCommit local =
        new LocalCommit(
            view,
            cert.seq(),
            cert.historyDigest(),
            commit.clientId(),
            commit.requestNumber(),
            commit.result(),
            index,
            Bytes.EMPTY);
    Bytes clientKey = commit.clientKey();
    context.submit(
        crypto -> local.withAuth(Auth.localCommitAuth(crypto, local, clientKey)),
        signed -> context.send(from, signed));
  }

  private void askForOrders(long upTo) {
    if (status != Status.NORMAL) return;
    long from = history.lastSeq() + 1;
    long to = Math.min(upTo, from + HELD_ORDERS_MAX - 1);
    context.broadcast(new FillHole(view, from, to, index));
  }

  // ---- FILL-HOLE (SOSP'07 §3.4) ----

  private void onFillHole(Address from, FillHole fill) {
    if (fill.view() < view) {
      NewView installed = viewChanges.installedNewView();
      if (installed != null && fill.replica() != index) context.send(from, installed);
      return;
    }
    if (fill.view() != view) {
      drops.count(WRONG_VIEW);
      return;
    }
    int sent = 0;
    for (Slot slot : history.range(fill.from(), fill.to())) {
      if (slot.view() != view || slot.orderAuth().length() == 0) continue;
      if (sent++ >= HELD_ORDERS_MAX) break;
      context.send(from, slot.orderReq());
    }
  }

  private void onPom(Pom pom) {
    // SOSP'07 §3.5: the primary of pom.view signed two histories for one sequence number.
    if (pom.view() == view && status == Status.NORMAL) startViewChange(view + 1);
  }

  private void onRetransmit() {
    context.setTimer(ZyzzyvaTimer.RETRANSMIT, options.resendTimeout());
    askedForView = false;
    toldView = false;
    stateBudget = STATE_BUDGET;
    if (status == Status.VIEW_CHANGE && viewChanges.own() != null) {
      context.broadcast(viewChanges.own());
    }
    if (status == Status.NORMAL && !held.isEmpty()) {
      context.broadcast(new FillHole(view, history.lastSeq() + 1, held.firstKey() - 1, index));
    }
    retransmitCommits();
    fetchStateAgain();
  }

  @Override
  void clearNormalCase() {
    held.clear();
    relayed.clear();
    doubted.clear();
    context.cancelTimer(ZyzzyvaTimer.PROGRESS);
  }

  @Override
  void resumeNormalCase() {
    orderNext();
  }

  @Override
  void acceptHeldOrders() {
    acceptHeld();
  }

  boolean invariantsHold() {
    Invariants.check(history.lastSeq() >= commits.stable().seq(), "history below the checkpoint");
    Invariants.check(
        history.lastSeq() <= commits.stable().seq() + settings.window() + 0L || !isPrimary(),
        "primary ordered beyond its window");
    assert queue.size() == queued.size() : "queue and its keys disagree";
    assert held.isEmpty() || held.firstKey() > history.lastSeq() : "held order not beyond a gap";
    return true;
  }

  /** Only tests read these. */
  long view() {
    return view;
  }

  long lastSeq() {
    return history.lastSeq();
  }

  Options options() {
    return options;
  }

  Config config() {
    return config;
  }

  App app() {
    return app;
  }

  Context<ZyzzyvaMessage> context() {
    return context;
  }
}
