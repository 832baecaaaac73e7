package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Limits;
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
import oskr.protocol.pbft.ViewChange.PrePrepared;
import oskr.protocol.pbft.ViewChange.PreparedProof;

/**
 * A PBFT replica: the normal case (TOCS §4.2) and execution. Its parts own their state: {@link
 * Requests} (client requests, the primary's batching and sequence numbers), {@link PrePrepares},
 * {@link Checkpoints}, {@link ViewChanges}, {@link StateTransfer}, {@link LogTransfer} and {@link
 * FetchBudget}. This replica alone changes the view, the status, the log and what executed: the
 * parts return decisions (a view to move to, a new stable checkpoint, a fetched state) that it
 * applies in {@link #startViewChange}, {@link #enterView}, {@link #applyCheckpoint} and {@link
 * #install}. Parts use each other only downwards, without cycles (checked by PbftPartsTest):
 * ViewChanges reads Requests and Checkpoints; LogTransfer reads StateTransfer and Checkpoints;
 * Requests, StateTransfer and Checkpoints read Execution's client records and state; PrePrepares,
 * Requests and LogTransfer hand PRE-PREPAREs and COMMITs to {@link Agreement}; StateTransfer and
 * LogTransfer charge {@link FetchBudget} for what they serve.
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

  final Config config;
  final int index;
  final int f;
  final Options options;
  final PbftSettings settings;
  final Context<PbftMessage> context;

  /** {@link NewViewPlan#of}, except in mutation tests (see {@link NewViewPlan.Rule}). */
  final NewViewPlan.Rule newViewRule;

  final Drops drops = new Drops();

  private long view;

  /** False between starting a view change and entering the new view (TOCS §4.4). */
  private boolean normal = true;

  /** The slots in (watermarkLow, watermarkLow + L]. */
  private final TreeMap<Long, Slot> log = new TreeMap<>();

  private long lastExecuted;
  final Execution execution;

  final Requests requests;
  final Agreement agreement;

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
    this.config = setup.config();
    this.index = setup.index();
    this.f = config.f();
    this.options = setup.options();
    this.settings = PbftSettings.of(options);
    this.context = setup.context();
    this.execution = new Execution(this, setup.app(), clientsMax);
    if (config.n() != 3 * f + 1) throw new IllegalArgumentException("PBFT needs n = 3f+1");
    this.requests = new Requests(this);
    this.agreement = new Agreement(this);
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
      case Request m -> onRequest(m);
      case Reply m -> drops.count(NOT_FOR_REPLICA);
      case PrePrepare m -> prePrepares.onPrePrepare(m);
      case Prepare m -> onPrepare(m);
      case Commit m -> agreement.onCommit(m);
      case Checkpoint m -> applyCheckpoint(checkpoints.onCheckpoint(m));
      case ViewChange m -> onViewChange(m);
      case NewView m -> onNewView(m);
      case FetchState m -> stateTransfer.onFetchState(m);
      case StateChunk m -> onStateChunk(m);
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
      case VIEW_CHANGE -> startViewChangeUnlessStaying(viewChanges.onViewChangeTimeout());
      case STATE_TRANSFER -> stateTransfer.onStateTransferTimeout();
      case VIEW_CHANGE_RESEND -> viewChanges.onResendTimeout();
      case PROGRESS -> {
        if (logTransfer.onProgressTimeout()) fetchStableState();
      }
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

  private void onRequest(Request m) {
    if (requests.onRequest(m) != Requests.Disposition.AWAITED) return;
    // TOCS §4.4: a backup relays the request and starts its view-change timer.
    viewChanges.armTimerIfIdle();
    context.sendToReplica(primary(), m);
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

  /** The slot at {@code seq} if the log has one, else null. */
  Slot existingSlot(long seq) {
    return log.get(seq);
  }

  /** The log's slots, in sequence order. */
  java.util.Collection<Slot> slots() {
    return java.util.Collections.unmodifiableCollection(log.values());
  }

  /** The log's slots above {@code seq}, in sequence order. */
  java.util.Collection<Slot> slotsAbove(long seq) {
    return java.util.Collections.unmodifiableCollection(log.tailMap(seq, false).values());
  }

  boolean hasSlotAbove(long seq) {
    return !log.isEmpty() && log.lastKey() > seq;
  }

  private void onPrepare(Prepare m) {
    Slot slot = agreement.addPrepare(m);
    if (slot == null) return;
    prePrepares.onPrepareAdded(slot); // it may vouch for a PRE-PREPARE held there
    agreement.checkPrepared(slot);
  }

  boolean acceptsAgreement(long messageView, long seq, int sender) {
    if (messageView != view) {
      drops.count(WRONG_VIEW);
      if (messageView > view) {
        startViewChangeUnlessStaying(viewChanges.noteLaterView(sender, messageView));
      }
      return false;
    }
    if (!inWatermarks(seq)) {
      drops.count(OUTSIDE_WATERMARKS);
      return false;
    }
    return true;
  }

  // ---- The parts' decisions, applied ----

  private void startViewChangeUnlessStaying(long newView) {
    if (newView != ViewChanges.STAY) startViewChange(newView);
  }

  /** Moves to {@code newView} and multicasts our VIEW-CHANGE (TOCS §4.4). */
  private void startViewChange(long newView) {
    assert newView > view : "view change to an old view";
    view = newView;
    normal = false;
    requests.clearPrimaryState();
    List<PreparedProof> prepared = new ArrayList<>();
    List<PrePrepared> prePrepared = new ArrayList<>();
    for (Slot slot : log.tailMap(checkpoints.stableSeq(), false).values()) {
      if (slot.preparedCertificate() != null) prepared.add(slot.preparedCertificate());
      if (macs()) prePrepared.addAll(slot.prePrepared());
    }
    viewChanges.sendViewChange(newView, prepared, prePrepared);
  }

  private void onViewChange(ViewChange m) {
    if (!viewChanges.onViewChange(m)) return;
    startViewChangeUnlessStaying(viewChanges.viewFPlusOneAhead());
    viewChanges.onViewChangesRecorded();
  }

  private void onNewView(NewView m) {
    NewViewPlan plan = viewChanges.onNewView(m);
    if (plan != null) enterView(m, plan);
  }

  /** Enters the view of a checked NEW-VIEW: adopt its checkpoint, accept its re-proposals. */
  void enterView(NewView m, NewViewPlan plan) {
    if (m.view() > view) requests.clearPrimaryState();
    view = m.view();
    normal = true;
    viewChanges.entered(m);
    ViewChange source = plan.checkpointSource();
    if (source.stableSeq() > checkpoints.stableSeq()) {
      Checkpoint proof = source.stableProof().get(0);
      adoptCheckpoint(source.stableSeq(), proof.stateDigest(), source.stableProof());
    }
    long lastSeq = plan.minSeq();
    for (int i = 0; i < m.prePrepares().size(); i++) {
      PrePrepare header = m.prePrepares().get(i);
      PrePrepare planned = plan.prePrepares().get(i);
      assert planned.seq() == header.seq() && planned.digest().equals(header.digest());
      PrePrepare prePrepare = planned.withAuth(header.auth());
      lastSeq = prePrepare.seq();
      if (!inWatermarks(prePrepare.seq())) continue; // at or below our stable checkpoint
      Slot slot = slot(prePrepare.seq());
      ViewChanges.checkKeepsCommitted(slot, prePrepare);
      slot.advanceTo(view);
      if (slot.prePrepare() == null) agreement.acceptPrePrepare(slot, prePrepare);
    }
    requests.assignedExactly(Math.max(Math.max(lastSeq, checkpoints.stableSeq()), lastExecuted));
    prePrepares.replayEarly();
    viewChanges.disarmTimer();
    requests.relayWaiting();
    if (requests.awaitsAny()) viewChanges.armTimerIfIdle();
    requests.proposeBatches();
  }

  /** A checkpoint proved by {@code proof} becomes stable, if it is later than ours. */
  void adoptCheckpoint(long seq, oskr.core.Digest digest, List<Checkpoint> proof) {
    applyCheckpoint(checkpoints.adopt(seq, digest, proof));
  }

  /** A new stable checkpoint frees the log below it; if we are behind it, we catch up. */
  void applyCheckpoint(Checkpoints.Outcome outcome) {
    if (outcome == Checkpoints.Outcome.NONE) return;
    collectGarbage(checkpoints.stableSeq());
    requests.proposeBatches();
    switch (outcome) {
      case STABLE_FETCH_LOG -> logTransfer.askForLog();
      case STABLE_FETCH_STATE -> fetchStableState();
      case STABLE, NONE -> {}
    }
  }

  private void fetchStableState() {
    stateTransfer.start(
        checkpoints.stableSeq(), checkpoints.stableDigest(), checkpoints.stableProof());
  }

  private void onStateChunk(StateChunk m) {
    if (stateTransfer.showsLaterCheckpoint(m)) adoptCheckpoint(m.seq(), m.stateDigest(), m.proof());
    StateTransfer.Fetched fetched = stateTransfer.onStateChunk(m);
    if (fetched != null) install(fetched);
  }

  /** Installs a fetched state, then executes from the log what committed above it. */
  private void install(StateTransfer.Fetched fetched) {
    try {
      restoreState(fetched.seq(), fetched.header(), fetched.sink());
    } catch (oskr.core.MalformedMessage | IllegalArgumentException e) {
      stateTransfer.restartAfterBadSnapshot(); // 2f+1 signed this digest: only a bug gets here
      return;
    }
    stateTransfer.installed();
    assert lastExecuted == fetched.seq() : "restored to another sequence number";
    assert checkpoints.stableSeq() == fetched.seq() : "restored a state that is not stable";
    checkpoints.installed(fetched.seq());
    executeCommitted();
    logTransfer.askForLog();
  }

  /** A batch that {@link LogTransfer} proved committed, into its slot. */
  void installCommitted(CommittedProof m) {
    slot(m.prePrepare().seq()).installCommitted(m);
  }

  // ---- Execution ----

  /** Executes committed batches strictly in sequence order (TOCS §4.2). */
  void executeCommitted() {
    boolean progress = false;
    while (true) {
      CommittedProof next = committedAt(lastExecuted + 1);
      if (next == null) break;
      assert next.prePrepare().seq() == lastExecuted + 1;
      for (Request request : next.prePrepare().batch()) {
        // Answered (executed or refused): nobody waits for it any more.
        if (execution.execute(request)) requests.onExecuted(request);
      }
      lastExecuted++;
      progress = true;
      if (lastExecuted % settings.checkpointInterval() == 0) checkpoints.take(lastExecuted);
    }
    if (!progress) return;
    requests.assignedAtLeast(lastExecuted);
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

  /**
   * Installs a transferred state whose chunks were verified against a stable checkpoint's digest
   * (see {@link Execution#restore}); changes nothing if it does not install.
   */
  private void restoreState(long seq, Bytes header, App.SnapshotSink sink)
      throws oskr.core.MalformedMessage {
    execution.restore(header, sink);
    lastExecuted = seq;
    requests.assignedAtLeast(seq);
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
    assert requests.lastAssigned() >= lastExecuted || !isPrimary() : "primary behind execution";
    assert prePrepares.boundsHold();
    assert log.isEmpty() || log.lastEntry().getValue().view() <= view : "slot from a future view";
    return true;
  }

  @Override
  public Drops drops() {
    return drops;
  }

  // ---- Observability for the parts and tests ----

  long view() {
    return view;
  }

  boolean isNormal() {
    return normal;
  }

  long lastExecuted() {
    return lastExecuted;
  }

  int logSize() {
    return log.size();
  }
}
