package oskr.protocol.vr;

import oskr.core.Address;
import oskr.core.Config;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Options;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.vr.VrMessage.Commit;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;
import oskr.protocol.vr.VrMessage.NewState;
import oskr.protocol.vr.VrMessage.Prepare;
import oskr.protocol.vr.VrMessage.PrepareOk;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;
import oskr.protocol.vr.VrMessage.StartView;
import oskr.protocol.vr.VrMessage.StartViewChange;

/**
 * A VR replica. It alone changes its view number, status, log, commit number and execution; its
 * parts own the rest and return decisions: {@link Batcher} (the primary's queue), {@link
 * ViewChanges} (the votes of a view change and the new log), {@link RecoveryResponses} (the
 * responses to RECOVERY), {@link Execution} (executed ops, client table, {@link Checkpoints}),
 * {@link StateTransfer} (fetching a snapshot). The handlers of the normal case are here; those of
 * view changes, recovery and catching up are in {@link VrReplicaProtocols}, which changes the
 * replica only through its {@code enter}/{@code become}/{@code take} methods.
 */
final class VrReplica implements Replica<VrMessage> {
  static final String NOT_NORMAL = "not in normal status";
  static final String NOT_PRIMARY = "not the primary";
  static final String STALE_VIEW = "stale view";
  static final String STALE_REQUEST = "stale request";
  static final String REQUEST_IN_PROGRESS = "request in progress";
  static final String QUEUE_FULL = "request queue full";
  static final String DUPLICATE = "duplicate";
  static final String EARLY_BUFFER_FULL = "prepare ahead of the log, buffer full";
  static final String NOT_FOR_REPLICA = "message for a client";
  static final String ACK_BEYOND_LOG = "prepare-ok beyond the log";

  /** Entries one NEW-STATE carries at most; the requester asks again for more. */
  static final int NEW_STATE_ENTRIES_MAX = 4096;

  final Config config;
  final int index;
  final int f;
  final Options options;
  final VrSettings settings;
  final Context<VrMessage> context;
  final Drops drops = new Drops();
  private final ReplicaSetup.Start start;
  final Vr.PlantedBug bug;

  private long viewNumber;
  private Status status = Status.NORMAL;
  private long lastNormalView;
  private final VrLog log = new VrLog();
  private long commitNumber;

  /** The highest commit number the primary of the current view told us of. */
  private long commitHeard;

  private boolean started;

  final Acks acks;
  final Heartbeats heartbeats;
  final HeldPrepares held = new HeldPrepares();
  final Batcher batcher;
  final ViewChanges viewChanges;
  final RecoveryResponses recovery;
  final Checkpoints checkpoints;
  final Execution execution;
  final StateTransfer transfer;
  private final VrReplicaProtocols protocols;

  VrReplica(ReplicaSetup<VrMessage> setup, Vr.PlantedBug bug) {
    this(setup, bug, Limits.CLIENTS_MAX);
  }

  /** A replica remembering at most {@code clientsMax} clients: only tests use a smaller table. */
  VrReplica(ReplicaSetup<VrMessage> setup, Vr.PlantedBug bug, int clientsMax) {
    this.config = setup.config();
    this.index = setup.index();
    this.f = config.f();
    if (config.n() != 2 * f + 1) throw new IllegalArgumentException("VR needs n = 2f+1");
    this.options = setup.options();
    this.settings = VrSettings.of(options);
    this.context = setup.context();
    this.start = setup.start();
    this.bug = bug;
    this.acks = new Acks(config.n(), f, index);
    this.heartbeats = new Heartbeats(context, config.n(), index, options.batchSizeMax());
    this.batcher = new Batcher(options.batchSizeMax());
    this.viewChanges = new ViewChanges(config.n(), f, index);
    this.recovery = new RecoveryResponses(config.n(), f, index);
    this.checkpoints = new Checkpoints(settings.checkpointInterval());
    this.execution = new Execution(setup.app(), context, checkpoints, clientsMax);
    this.transfer =
        new StateTransfer(context, setup.app(), drops, config.n(), index, settings.retryDelay());
    this.protocols = new VrReplicaProtocols(this);
  }

  @Override
  public void onStart() {
    if (!started) {
      started = true;
      // VR §4.3: a replica that lost its state must not answer before it recovered it.
      boolean forgetful = bug == Vr.PlantedBug.VOTES_WHILE_RECOVERING;
      if (start == ReplicaSetup.Start.AFTER_STATE_LOSS && !forgetful) {
        status = Status.RECOVERING;
        recovery.begin(context.random().nextLong());
      }
    }
    armTimers(); // also after a restart that kept the state: the timers died in the crash
    assert invariantsHold();
  }

  private void armTimers() {
    switch (status) {
      case NORMAL -> {
        if (isPrimary()) context.setTimer(VrTimer.HEARTBEAT, settings.commitInterval());
        else context.setTimer(VrTimer.VIEW_CHANGE, settings.viewChangeTimeout());
      }
      case VIEW_CHANGE -> {
        context.setTimer(VrTimer.VIEW_CHANGE, viewChanges.timeout(settings.viewChangeTimeout()));
        context.setTimer(VrTimer.VIEW_CHANGE_RESEND, settings.resendPeriod());
      }
      case RECOVERING -> protocols.sendRecovery();
    }
  }

  @Override
  public void onMessage(Address from, VrMessage message) {
    switch (message) {
      case Request m -> onRequest(from, m);
      case Reply m -> drops.count(NOT_FOR_REPLICA);
      case Prepare m -> onPrepare(m);
      case PrepareOk m -> onPrepareOk(m);
      case Commit m -> onCommit(m);
      case StartViewChange m -> protocols.onStartViewChange(m);
      case DoViewChange m -> protocols.onDoViewChange(m);
      case StartView m -> protocols.onStartView(m);
      case Recovery m -> protocols.onRecovery(m);
      case RecoveryResponse m -> protocols.onRecoveryResponse(m);
      case GetState m -> protocols.onGetState(m);
      case NewState m -> protocols.onNewState(m);
      case GetSnapshot m -> protocols.onGetSnapshot(m);
      case SnapshotChunk m -> protocols.onSnapshotChunk(m);
    }
    assert invariantsHold();
  }

  @Override
  public void onTimer(TimerKey key) {
    switch ((VrTimer) key) {
      case VIEW_CHANGE -> protocols.onViewChangeTimeout();
      case VIEW_CHANGE_RESEND -> protocols.onViewChangeResend();
      case HEARTBEAT -> onHeartbeat();
      case RECOVERY -> protocols.sendRecovery();
      case STATE_TRANSFER -> protocols.onStateTransferTimeout();
      case RESEND -> throw new IllegalStateException("a client timer at a replica");
    }
    assert invariantsHold();
  }

  // ---- Normal case, primary (§4.1) ----

  private void onRequest(Address from, Request m) {
    if (status != Status.NORMAL) {
      drops.count(NOT_NORMAL);
      return;
    }
    if (!isPrimary()) {
      drops.count(NOT_PRIMARY); // §4.1: only the primary takes requests; the client resends
      return;
    }
    switch (execution.check(m.clientId(), m.requestNumber())) {
      case STALE -> drops.count(STALE_REQUEST);
      case IN_PROGRESS -> drops.count(REQUEST_IN_PROGRESS);
      case RESEND_REPLY -> context.send(from, execution.cachedReply(m.clientId(), viewNumber));
      // A refusal is decided at execution, in log order, so that every replica decides alike.
      case NEW, REFUSE -> {
        switch (batcher.offer(m, from)) {
          case QUEUED -> proposeBatches();
          case IN_PROGRESS -> drops.count(REQUEST_IN_PROGRESS);
          case FULL -> drops.count(QUEUE_FULL);
        }
      }
    }
  }

  /** §4.1 step 3, batched (§6.2): appends each batch the batcher closes and sends its PREPARE. */
  void proposeBatches() {
    if (status != Status.NORMAL || !isPrimary()) return;
    while (true) {
      Batcher.Batch batch = batcher.next(commitNumber, log.lastOp());
      if (batch == null) return;
      long firstOp = log.lastOp() + 1;
      for (int i = 0; i < batch.requests().size(); i++) {
        log.append(batch.requests().get(i), batch.clients().get(i));
      }
      context.broadcast(new Prepare(viewNumber, firstOp, commitNumber, batch.requests()));
      heartbeats.prepared();
      if (f == 0) advanceCommit(log.lastOp()); // a group of one commits alone
    }
  }

  /** §4.1 step 5: f backups hold the log up to an op, so with the primary f+1 do: committed. */
  private void onPrepareOk(PrepareOk m) {
    if (status != Status.NORMAL || m.view() != viewNumber || !isPrimary()) {
      drops.count(STALE_VIEW);
      return;
    }
    if (m.opNumber() > log.lastOp()) {
      drops.count(ACK_BEYOND_LOG);
      return;
    }
    if (!acks.record(m.replica(), m.opNumber())) {
      drops.count(DUPLICATE);
      return;
    }
    if (advanceCommit(acks.quorum(log.lastOp()))) proposeBatches();
  }

  private boolean advanceCommit(long committed) {
    if (committed <= commitNumber) return false;
    assert committed <= log.lastOp() : "committed past the log";
    commitNumber = committed;
    executeCommitted();
    return true;
  }

  /** §4.1 step 6 (and retransmission): see {@link Heartbeats}. */
  private void onHeartbeat() {
    if (status != Status.NORMAL || !isPrimary()) return;
    heartbeats.onPeriod(viewNumber, commitNumber, log, acks);
    context.setTimer(VrTimer.HEARTBEAT, settings.commitInterval());
  }

  // ---- Normal case, backup (§4.1 steps 4, 7) ----

  private void onPrepare(Prepare m) {
    if (!protocols.acceptsFromPrimary(m.view())) return;
    if (m.lastOp() <= log.lastOp()) {
      drops.count(DUPLICATE); // already in the log: acknowledge again, the PREPARE-OK may be lost
      acknowledge();
      noteCommit(m.commitNumber());
      return;
    }
    if (m.firstOp() > log.lastOp() + 1) {
      if (!held.hold(m)) drops.count(EARLY_BUFFER_FULL);
      noteCommit(m.commitNumber());
      return;
    }
    append(m);
    takeHeldPrepares();
    acknowledge();
    noteCommit(m.commitNumber());
  }

  /** Appends the PREPARE's entries above the log's end (§4.1 step 4: in op order). */
  private void append(Prepare m) {
    assert m.firstOp() <= log.lastOp() + 1 : "a gap before the batch";
    for (long op = log.lastOp() + 1; op <= m.lastOp(); op++) {
      log.append(m.entries().get((int) (op - m.firstOp())), null);
    }
  }

  private void takeHeldPrepares() {
    for (Prepare next = held.next(log.lastOp()); next != null; next = held.next(log.lastOp())) {
      append(next);
    }
  }

  void acknowledge() {
    if (isPrimary()) return;
    context.sendToReplica(primary(), new PrepareOk(viewNumber, log.lastOp(), index));
  }

  private void onCommit(Commit m) {
    if (!protocols.acceptsFromPrimary(m.view())) return;
    noteCommit(m.commitNumber());
  }

  /** §4.1 step 7: what the primary committed and we hold, we execute; if we lack it, catch up. */
  void noteCommit(long primaryCommit) {
    commitHeard = Math.max(commitHeard, primaryCommit);
    advanceCommit(Math.min(primaryCommit, log.lastOp()));
    protocols.catchUp();
  }

  // ---- Execution (§4.1 steps 5, 7) and checkpoints (§5.1) ----

  /** Executes the committed ops we hold, in op order; the primary replies. */
  void executeCommitted() {
    boolean replies = status == Status.NORMAL && isPrimary();
    while (execution.executed() < commitNumber && log.contains(execution.executed() + 1)) {
      long op = execution.executed() + 1;
      Request request = log.get(op);
      long dropBelow = execution.execute(op, request, viewNumber, replies ? log.client(op) : null);
      if (replies) batcher.executed(request);
      if (dropBelow > 0) log.dropBefore(dropBelow); // §5.1: the log keeps two checkpoints' ops
    }
  }

  /** Takes the state fetched from another replica (§5.2), then the log above it. */
  void installSnapshot(StateTransfer.Installable snapshot) throws MalformedMessage {
    execution.install(snapshot);
    long checkpoint = snapshot.checkpoint();
    commitNumber = Math.max(commitNumber, checkpoint);
    commitHeard = Math.max(commitHeard, checkpoint);
    log.dropBefore(checkpoint + 1);
    if (isPrimary()) batcher.forgetExecuted(log, checkpoint);
    takeHeldPrepares();
    acknowledge();
    executeCommitted();
    protocols.catchUp();
  }

  /**
   * A NEW-STATE of our view (§5.2): the log past our end, or from the sender's checkpoint on. One
   * that brings nothing new leaves the request outstanding (the timer asks the next replica): else
   * two lagging backups would keep asking each other.
   */
  void takeNewState(NewState m) {
    long lastBefore = log.lastOp();
    boolean replaced = m.log().firstOp() > log.lastOp() + 1;
    if (replaced) {
      log.replaceFrom(m.log()); // its log starts past ours: the state below comes as a snapshot
    } else {
      log.extendWith(m.log());
    }
    takeHeldPrepares();
    boolean news = replaced || log.lastOp() > lastBefore;
    if (news || Math.min(m.commitNumber(), log.lastOp()) > commitNumber)
      transfer.logAnswered(false);
    if (news) acknowledge();
    noteCommit(m.commitNumber());
  }

  // ---- Entering views (§4.2, §4.3, §5.2): only these change the view number and status ----

  void enterViewChange(long newView) {
    assert newView > viewNumber : "view numbers only grow";
    assert status != Status.RECOVERING : "a recovering replica takes no part in view changes";
    viewNumber = newView;
    status = Status.VIEW_CHANGE;
    held.clear();
    batcher.clear();
    transfer.abandon();
    viewChanges.begin(newView);
    context.cancelTimer(VrTimer.HEARTBEAT);
    armTimers();
  }

  /** The new primary adopts the decided log (§4.2 step 3) and starts the view. */
  void becomePrimary(ViewChanges.Decision decision) {
    assert status == Status.VIEW_CHANGE && primary() == index : "not the new primary";
    adoptLog(decision.log());
    commitNumber = Math.max(commitNumber, decision.commitNumber());
    enterNormal();
    acks.reset();
    batcher.enterView(log, executed(), commitNumber);
    context.broadcast(new StartView(viewNumber, commitNumber, logToSend()));
  }

  /** A backup takes the new primary's log (§4.2 step 5) and acknowledges it. */
  void enterViewAsBackup(long view, LogSegment newLog, long primaryCommit) {
    assert view > viewNumber || status == Status.VIEW_CHANGE : "a view entered twice";
    viewNumber = view;
    adoptLog(newLog);
    commitNumber = Math.max(commitNumber, Math.min(primaryCommit, log.lastOp()));
    commitHeard = primaryCommit;
    enterNormal();
    acknowledge();
  }

  /**
   * §5.2: a replica that learns of a later view from its primary's PREPARE or COMMIT keeps only its
   * committed ops (the others may be gone in the new view) and fetches the rest.
   */
  void enterLaterView(long view) {
    assert view > viewNumber || status == Status.VIEW_CHANGE : "not a later view";
    viewNumber = view;
    log.truncateAfter(commitNumber);
    commitHeard = commitNumber;
    enterNormal();
  }

  /** §4.3 step 3: the log and state of the primary of the latest view. */
  void finishRecovery(RecoveryResponse fromPrimary) {
    assert status == Status.RECOVERING : "not recovering";
    recovery.finished();
    viewNumber = fromPrimary.view();
    log.replaceFrom(fromPrimary.log());
    commitNumber = fromPrimary.commitNumber();
    commitHeard = commitNumber;
    context.cancelTimer(VrTimer.RECOVERY);
    enterNormal();
    acknowledge();
  }

  /** Keeps our committed ops below the new log, then takes it (§4.2 steps 3, 5). */
  private void adoptLog(LogSegment newLog) {
    log.truncateAfter(Math.min(log.lastOp(), commitNumber));
    log.replaceFrom(newLog);
  }

  private void enterNormal() {
    status = Status.NORMAL;
    lastNormalView = viewNumber;
    viewChanges.entered();
    held.clear();
    batcher.clear();
    transfer.logAnswered(false);
    heartbeats.reset(commitNumber);
    context.cancelTimer(VrTimer.VIEW_CHANGE_RESEND);
    context.cancelTimer(isPrimary() ? VrTimer.VIEW_CHANGE : VrTimer.HEARTBEAT);
    armTimers();
    executeCommitted();
    protocols.catchUp();
  }

  /** Where the log we send others starts: after our latest checkpoint, which we can serve. */
  long segmentStart() {
    return Math.max(log.start(), Math.min(checkpoints.latestOp(), executed()) + 1);
  }

  /** The log we send others (§5.3: a suffix), from {@link #segmentStart()} on. */
  LogSegment logToSend() {
    return log.segment(segmentStart(), log.lastOp());
  }

  // ---- Read-only state for the handlers in VrReplicaProtocols and for tests ----

  long viewNumber() {
    return viewNumber;
  }

  Status status() {
    return status;
  }

  long lastNormalView() {
    return lastNormalView;
  }

  long commitHeard() {
    return commitHeard;
  }

  long commitNumber() {
    return commitNumber;
  }

  long executed() {
    return execution.executed();
  }

  VrLog log() {
    return log;
  }

  int primary() {
    return primaryOf(viewNumber);
  }

  int primaryOf(long view) {
    return (int) (view % config.n());
  }

  boolean isPrimary() {
    return primary() == index;
  }

  boolean invariantsHold() {
    assert executed() <= commitNumber : "executed past the commit number";
    assert commitNumber <= log.lastOp() : "committed past the log";
    assert log.start() - 1 <= commitNumber : "a log that starts above the commit number";
    assert status != Status.NORMAL || lastNormalView == viewNumber : "normal in another view";
    assert lastNormalView <= viewNumber : "normal in a later view";
    assert checkpoints.latestOp() <= executed() : "a checkpoint past execution";
    assert held.noneContinues(log.lastOp()) : "a held PREPARE fits";
    return true;
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
