package oskr.protocol.pbft;

import java.util.TreeMap;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Limits;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Options;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * A PBFT replica: the normal case (TOCS §4.2) with adaptive batching, and execution. Checkpoints,
 * view changes and state transfer live in {@link Checkpoints}, {@link ViewChanges} and {@link
 * StateTransfer}, which share this replica's state.
 */
final class PbftReplica implements Replica<PbftMessage> {
  static final String WRONG_VIEW = "wrong view";
  static final String VIEW_CHANGING = "view change in progress";
  static final String OUTSIDE_WATERMARKS = "outside the watermarks";
  static final String CONFLICTING_PRE_PREPARE = "conflicting pre-prepare";
  static final String DUPLICATE = "duplicate";
  static final String NOT_FOR_REPLICA = "message for a client";
  static final String EARLY_BUFFER_FULL = "early pre-prepare buffer full";
  static final String ABOVE_WINDOW_BUFFER_FULL = "pre-prepare above the window, buffer full";
  static final String OWN_PRE_PREPARE = "own pre-prepare replayed";
  static final String REFUSED = "request refused by the client table";

  final Config config;
  final int index;
  final int f;
  final Options options;
  final PbftSettings settings;
  final Context<PbftMessage> context;
  private final App app;

  /** {@link NewViewPlan#of}, except in mutation tests (see {@link NewViewPlan.Rule}). */
  final NewViewPlan.Rule newViewRule;

  final Drops drops = new Drops();

  long view;

  /** False between starting a view change and entering the new view (TOCS §4.4). */
  boolean normal = true;

  /** The slots in (watermarkLow, watermarkLow + L]. */
  final TreeMap<Long, Slot> log = new TreeMap<>();

  long lastExecuted;
  private long opNumber;
  final ClientRecords clientRecords;

  /** The primary's last assigned sequence number. */
  long lastAssignedSeq;

  final Requests requests;

  final PrePrepares prePrepares;
  final Checkpoints checkpoints;
  final ViewChanges viewChanges;
  final StateTransfer stateTransfer;
  final LogTransfer logTransfer;
  final FetchBudget fetchBudget;

  PbftReplica(ReplicaSetup<PbftMessage> setup) {
    this(setup, NewViewPlan::of);
  }

  PbftReplica(ReplicaSetup<PbftMessage> setup, NewViewPlan.Rule newViewRule) {
    this(setup, newViewRule, Limits.CLIENTS_MAX);
  }

  /** A replica remembering at most {@code clientsMax} clients: only tests use a smaller table. */
  PbftReplica(ReplicaSetup<PbftMessage> setup, NewViewPlan.Rule newViewRule, int clientsMax) {
    this.newViewRule = newViewRule;
    this.clientRecords = new ClientRecords(clientsMax);
    this.config = setup.config();
    this.index = setup.index();
    this.f = config.f();
    this.options = setup.options();
    this.settings = PbftSettings.of(options);
    this.context = setup.context();
    this.app = setup.app();
    if (config.n() != 3 * f + 1) throw new IllegalArgumentException("PBFT needs n = 3f+1");
    this.requests = new Requests(this);
    this.prePrepares = new PrePrepares(this);
    this.checkpoints = new Checkpoints(this);
    this.viewChanges = new ViewChanges(this);
    this.stateTransfer = new StateTransfer(this);
    this.logTransfer = new LogTransfer(this);
    this.fetchBudget = new FetchBudget(this);
  }

  @Override
  public void onMessage(Address from, PbftMessage message) {
    switch (message) {
      case Request m -> requests.onRequest(m);
      case Reply m -> drops.count(NOT_FOR_REPLICA);
      case PrePrepare m -> prePrepares.onPrePrepare(m);
      case Prepare m -> onPrepare(m);
      case Commit m -> onCommit(m);
      case Checkpoint m -> checkpoints.onCheckpoint(m);
      case ViewChange m -> viewChanges.onViewChange(m);
      case NewView m -> viewChanges.onNewView(m);
      case FetchState m -> stateTransfer.onFetchState(m);
      case StateChunk m -> stateTransfer.onStateChunk(m);
      case FetchLog m -> logTransfer.onFetchLog(m);
      case CommittedProof m -> logTransfer.onCommittedProof(m);
      case Reject m -> requests.onReject(m);
    }
    logTransfer.watchProgress();
    assert invariantsHold();
  }

  @Override
  public void onTimer(TimerKey key) {
    switch ((PbftTimer) key) {
      case VIEW_CHANGE -> viewChanges.onViewChangeTimeout();
      case STATE_TRANSFER -> stateTransfer.onStateTransferTimeout();
      case VIEW_CHANGE_RESEND -> viewChanges.onResendTimeout();
      case PROGRESS -> logTransfer.onProgressTimeout();
      case FETCH_BUDGET -> fetchBudget.onPeriodEnd();
      case VOUCH -> prePrepares.onVouchTimeout();
      case RESEND -> throw new IllegalStateException("a client timer at a replica");
    }
    logTransfer.watchProgress();
    assert invariantsHold();
  }

  /** Runs {@code done} on the protocol thread after a job, then checks the invariants. */
  <R> void submit(oskr.protocol.Job<R> job, oskr.protocol.JobDone<R> done) {
    context.submit(
        job,
        result -> {
          done.onJobDone(result);
          logTransfer.watchProgress();
          assert invariantsHold();
        });
  }

  /** Whether agreement messages carry MACs (TOCS §5) rather than signatures. */
  boolean macs() {
    return options.scheme() == oskr.core.crypto.Scheme.HMAC;
  }

  int primary() {
    return (int) (view % config.n());
  }

  boolean isPrimary() {
    return primary() == index;
  }

  long watermarkLow() {
    return checkpoints.stableSeq();
  }

  boolean inWatermarks(long seq) {
    return seq > watermarkLow() && seq <= watermarkLow() + settings.watermarkWindow();
  }

  Slot slot(long seq) {
    assert inWatermarks(seq) : seq;
    return log.computeIfAbsent(seq, s -> new Slot(s, config.n()));
  }

  // ---- Agreement (TOCS §4.2) ----

  /** After entering a view: handle the PRE-PREPAREs for it that came early, forget older ones. */
  void replayEarlyPrePrepares() {
    prePrepares.replayEarly();
  }

  /**
   * A backup accepts a PRE-PREPARE (whose requests it or f vouching PREPAREs authenticated, or from
   * a NEW-VIEW) and sends its PREPARE.
   */
  void acceptPrePrepare(Slot slot, PrePrepare m) {
    slot.acceptPrePrepare(m);
    signPrepare(slot);
    checkPrepared(slot);
  }

  /** Authenticates and multicasts our PREPARE for the slot's PRE-PREPARE, unless one is coming. */
  void signPrepare(Slot slot) {
    if (isPrimary() || slot.prepareSent) return;
    slot.prepareSent = true;
    PrePrepare m = slot.prePrepare();
    Prepare unsigned = new Prepare(m.view(), m.seq(), m.digest(), index, Bytes.EMPTY);
    submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        signed -> {
          if (signed.view() != view || !inWatermarks(signed.seq())) return;
          sendPrepare(slot(signed.seq()), signed);
        });
  }

  /** Records and multicasts our authenticated PREPARE, if its slot still holds its batch. */
  void sendPrepare(Slot slot, Prepare signed) {
    if (slot.view() != signed.view() || slot.prePrepare() == null) return;
    if (!slot.prePrepare().digest().equals(signed.digest()) || !slot.addPrepare(signed)) return;
    context.broadcast(signed);
    checkPrepared(slot);
  }

  boolean acceptsAgreement(long messageView, long seq, int sender) {
    if (messageView != view) {
      drops.count(WRONG_VIEW);
      if (messageView > view) viewChanges.noteLaterView(sender, messageView);
      return false;
    }
    if (!inWatermarks(seq)) {
      drops.count(OUTSIDE_WATERMARKS);
      return false;
    }
    return true;
  }

  private void onPrepare(Prepare m) {
    if (!acceptsAgreement(m.view(), m.seq(), m.replica())) return;
    Slot slot = slot(m.seq());
    slot.advanceTo(view);
    if (!slot.addPrepare(m)) {
      drops.count(DUPLICATE);
      return;
    }
    prePrepares.onPrepareAdded(slot);
    checkPrepared(slot);
  }

  void checkPrepared(Slot slot) {
    if (slot.commitSent || !slot.isPrepared(f)) return;
    assert slot.view() == view : "prepared in another view";
    assert normal : "prepared during a view change";
    slot.recordPrepared(f, !macs());
    slot.commitSent = true;
    PrePrepare m = slot.prePrepare();
    Commit unsigned = new Commit(m.view(), m.seq(), m.digest(), index, Bytes.EMPTY);
    submit(
        crypto -> unsigned.withAuth(Auth.agreementAuth(crypto, unsigned::encodeSigned)),
        signed -> {
          if (signed.view() != view || !inWatermarks(signed.seq())) return;
          Slot current = slot(signed.seq());
          if (current.view() != signed.view() || !current.addCommit(signed)) return;
          context.broadcast(signed);
          checkCommitted(current);
        });
  }

  void onCommit(Commit m) {
    if (!acceptsAgreement(m.view(), m.seq(), m.replica())) return;
    Slot slot = slot(m.seq());
    slot.advanceTo(view);
    if (!slot.addCommit(m)) {
      drops.count(DUPLICATE);
      return;
    }
    checkCommitted(slot);
  }

  private void checkCommitted(Slot slot) {
    if (slot.isCommitted() || !slot.isCommittedLocal(f)) return;
    slot.recordCommitted(f, !macs());
    executeCommitted();
  }

  // ---- Execution ----

  /** Executes committed batches strictly in sequence order (TOCS §4.2). */
  void executeCommitted() {
    boolean progress = false;
    while (true) {
      CommittedProof next = committedAt(lastExecuted + 1);
      if (next == null) break;
      assert next.prePrepare().seq() == lastExecuted + 1;
      for (Request request : next.prePrepare().batch()) execute(request);
      lastExecuted++;
      progress = true;
      if (lastExecuted % settings.checkpointInterval() == 0) checkpoints.take(lastExecuted);
    }
    if (!progress) return;
    if (lastAssignedSeq < lastExecuted) lastAssignedSeq = lastExecuted;
    viewChanges.onProgress();
    requests.proposeBatches();
  }

  /**
   * The batch committed at {@code seq}, or null: from the log, or below the low watermark when we
   * catch up to a stable checkpoint from the log ({@link LogTransfer}).
   */
  private CommittedProof committedAt(long seq) {
    Slot slot = log.get(seq);
    if (slot != null && slot.isCommitted()) return slot.committedCertificate();
    return logTransfer.committedBelowStable(seq);
  }

  /** Executes one request of a committed batch, or refuses it (see {@link ClientRecords}). */
  private void execute(Request request) {
    ClientIdentity client = ClientIdentity.of(request);
    switch (clientRecords.decide(client, request.requestNumber(), opNumber)) {
      case DUPLICATE -> {} // at most once
      case REFUSE -> {
        drops.count(REFUSED);
        requests.onExecuted(request); // answered: nobody waits for it any more
        sendReply(request, Bytes.EMPTY, clientRecords.retryFrom());
      }
      case EXECUTE -> {
        opNumber++;
        Bytes result = app.execute(opNumber, request.op());
        clientRecords.record(client, request.requestNumber(), result);
        requests.onExecuted(request);
        sendReply(request, result, 0);
      }
    }
  }

  /** Sends the client the reply to its latest answered request again: a result or a refusal. */
  void resendReply(Request request) {
    ClientRecords.Entry latest = clientRecords.latest(ClientIdentity.of(request));
    assert latest.requestNumber() == request.requestNumber() : "a reply to another request";
    sendReply(request, latest.result(), latest.retryFrom());
  }

  /**
   * @param retryFrom 0 for a result; else the request was refused and the client retries from this
   *     request number
   */
  private void sendReply(Request request, Bytes result, long retryFrom) {
    Reply unsigned =
        new Reply(
            view,
            request.clientId(),
            request.requestNumber(),
            index,
            result,
            retryFrom,
            Bytes.EMPTY);
    submit(
        crypto -> unsigned.withAuth(Auth.replyAuth(crypto, unsigned, request.clientKey())),
        signed -> {
          if (signed.auth().length() > 0) context.send(request.client(), signed);
        });
  }

  // ---- State for checkpoints and state transfer ----

  /** The checkpointed state: op number, client records, app snapshot (TOCS §4.3, §5.3). */
  StateImage stateImage() {
    Writer out = new Writer(256);
    out.u64(opNumber);
    clientRecords.encode(out);
    return new StateImage(out.toBytes(), app.snapshot());
  }

  /** Where state transfer feeds the app's part of a checkpoint's state. */
  App.SnapshotSink snapshotSink() {
    return app.snapshotSink();
  }

  /**
   * Installs a transferred state whose chunks were verified against a stable checkpoint's digest:
   * {@code header} (op number, client records) here, the app's part already fed to {@code sink}.
   * Checks the header before the app commits, so that a failure changes nothing.
   */
  void restoreState(long seq, Bytes header, App.SnapshotSink sink)
      throws oskr.core.MalformedMessage {
    oskr.core.Reader in = new oskr.core.Reader(header.unsafeArray());
    long decodedOpNumber = in.u64();
    new ClientRecords(clientRecords.clientsMax()).decode(in);
    in.end();
    sink.commit();
    in = new oskr.core.Reader(header.unsafeArray());
    in.u64();
    clientRecords.decode(in); // decoded above already: cannot fail
    opNumber = decodedOpNumber;
    lastExecuted = seq;
    if (lastAssignedSeq < seq) lastAssignedSeq = seq;
    requests.clearPrimaryState();
    requests.forgetExecuted();
  }

  /** Frees the slots at and below a new stable checkpoint (TOCS §4.3 garbage collection). */
  void collectGarbage(long stableSeq) {
    java.util.SortedMap<Long, Slot> freed = log.headMap(stableSeq, true);
    logTransfer.retain(freed.values(), stableSeq);
    freed.clear();
    prePrepares.replayAboveWindow();
  }

  boolean invariantsHold() {
    assert log.isEmpty() || log.firstKey() > watermarkLow() : "slot below the low watermark";
    assert log.isEmpty() || log.lastKey() <= watermarkLow() + settings.watermarkWindow();
    assert lastAssignedSeq >= lastExecuted || !isPrimary() : "primary behind its execution";
    assert prePrepares.boundsHold();
    assert log.isEmpty() || log.lastEntry().getValue().view() <= view : "slot from a future view";
    return true;
  }

  @Override
  public Drops drops() {
    return drops;
  }

  // ---- Observability for tests and the runtime ----

  long view() {
    return view;
  }

  long lastExecuted() {
    return lastExecuted;
  }

  int logSize() {
    return log.size();
  }
}
