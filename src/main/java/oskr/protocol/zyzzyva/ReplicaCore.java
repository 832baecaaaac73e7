package oskr.protocol.zyzzyva;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Options;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.zyzzyva.History.Slot;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ClientKey;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Entry;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FetchState;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.State;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/**
 * The replica state and the sub-protocols that change it: speculative execution and rollback,
 * commit points (VOTE, CHECKPOINT, stable checkpoints and garbage collection), state transfer, and
 * the view change. {@link ZyzzyvaReplica} adds the normal case on top. The view, the status, the
 * history and execution change only here and there.
 */
abstract class ReplicaCore {
  enum Status {
    NORMAL,
    VIEW_CHANGE
  }

  static final String STATE_MISMATCH = "state does not match its checkpoint";
  static final String STALE_NEW_VIEW = "stale NEW-VIEW";
  static final String STALE_VIEW_CHANGE = "stale VIEW-CHANGE";

  /** STATE answers a replica gives per resend timeout, so FETCH-STATE cannot amplify traffic. */
  static final int STATE_BUDGET = 4;

  final Config config;
  final int index;
  final int f;
  final App app;
  final Options options;
  final ZyzzyvaSettings settings;
  final Context<ZyzzyvaMessage> context;
  final Drops drops = new Drops();
  final NewViewRule.Kind rule;

  long view;
  Status status = Status.NORMAL;

  /** The view of the last NEW-VIEW installed: every slot of the history was adopted in it. */
  long historyView;

  final History history = new History();
  ClientRecords records = new ClientRecords(Limits.CLIENTS_MAX);
  long opNumber;

  /** The highest (view, seq) commit certificate held that the history is consistent with. */
  CommitCert heldCert;

  final Commits commits;
  final ViewChanges viewChanges;

  boolean askedForView;

  /** Whether we sent our NEW-VIEW to a replica left behind since the last retransmit tick. */
  boolean toldView;

  int stateBudget = STATE_BUDGET;
  private CheckpointProof fetching;
  private int fetchTurn;
  private NewView pendingNewView;
  private NewViewRule.Decision pendingDecision;
  private Vote lastVote;
  private Checkpoint lastCheckpoint;
  private long checkpointSentFor;
  private long viewChangeTimerFor = -1;

  ReplicaCore(ReplicaSetup<ZyzzyvaMessage> setup, NewViewRule.Kind rule) {
    if (!setup.app().supportsRollback()) {
      throw new IllegalArgumentException("Zyzzyva needs an app that can roll back");
    }
    this.config = setup.config();
    this.index = setup.index();
    this.f = config.f();
    this.app = setup.app();
    this.options = setup.options();
    this.settings = ZyzzyvaSettings.of(options);
    this.context = setup.context();
    this.rule = rule;
    this.commits = new Commits(config.n(), f, settings.window(), drops);
    this.viewChanges = new ViewChanges(config.n(), f);
  }

  abstract void clearNormalCase();

  abstract void resumeNormalCase();

  abstract void acceptHeldOrders();

  int primary(long someView) {
    return (int) (someView % config.n());
  }

  boolean isPrimary() {
    return primary(view) == index;
  }

  /** Requests up to here are covered by a certificate we hold or a stable checkpoint. */
  long committedSeq() {
    return Math.max(commits.stable().seq(), heldCert == null ? 0 : heldCert.seq());
  }

  // ---- Speculative execution ----

  /** Executes a request of the slot at {@code seq}, if new: its unsigned SPEC-RESPONSE, or null. */
  SpecResponse execute(Request request, long seq, Digest digest, OrderReq order) {
    ClientKey key = request.key();
    if (!records.isNew(key, request.requestNumber())) return null;
    opNumber++;
    Bytes result = app.executeSpeculatively(opNumber, request.op());
    records.record(key, request.requestNumber(), result, seq, digest);
    if (order == null) return null;
    return new SpecResponse(
        order.view(),
        seq,
        digest,
        request.clientId(),
        request.requestNumber(),
        result,
        index,
        order.auth(),
        Bytes.EMPTY,
        Bytes.EMPTY);
  }

  void appendSlot(OrderReq order) {
    history.append(
        new Slot(
            order.view(),
            order.seq(),
            order.previousDigest(),
            order.historyDigest(),
            order.batch(),
            order.auth(),
            opNumber));
  }

  /**
   * The job that authenticates the responses of one slot: ONE batch signature over (v, n, h_n),
   * shared by all of them, and per response its client's MAC (or, under a signature scheme, a
   * signature), with the key of that response's request.
   */
  static List<SpecResponse> authenticate(
      oskr.core.crypto.Crypto crypto, List<SpecResponse> responses, List<Request> requests) {
    assert responses.size() == requests.size() : responses.size() + " " + requests.size();
    SpecResponse first = responses.getFirst();
    Bytes batchAuth = Auth.batchSignature(crypto, first.view(), first.seq(), first.historyDigest());
    List<SpecResponse> signed = new java.util.ArrayList<>(responses.size());
    for (int i = 0; i < responses.size(); i++) {
      SpecResponse response = responses.get(i);
      assert response.view() == first.view()
              && response.seq() == first.seq()
              && response.historyDigest().equals(first.historyDigest())
          : "responses of one slot";
      signed.add(
          response.withAuths(
              batchAuth, Auth.responseAuth(crypto, response, requests.get(i).clientKey())));
    }
    return signed;
  }

  /** Rolls the history, the records and the app back to {@code seq}. */
  private void rollbackTo(long seq) {
    if (history.lastSeq() <= seq) return;
    long target = history.opNumberAt(seq);
    app.rollback(target);
    records.rollback(seq);
    history.truncateAbove(seq);
    opNumber = target;
    commits.forgetStatesAbove(seq);
    checkpointSentFor = Math.min(checkpointSentFor, seq);
  }

  // ---- Commit points: VOTE, then CHECKPOINT ----

  void afterAppend(long seq) {
    if (seq % settings.checkpointInterval() == 0) commitPoint(seq);
    Optional<CommitCert> cert = commits.certificateAt(seq, history.digestAt(seq));
    cert.ifPresent(this::hold);
  }

  /** Our state at {@code seq} (just executed) is captured and we vote for the history there. */
  private void commitPoint(long seq) {
    Digest digest = history.digestAt(seq);
    Bytes state = encodeState();
    commits.captureState(seq, digest, state);
    long voteView = view;
    context.submit(
        crypto -> crypto.sha256().digest(state.unsafeArray(), 0, state.length()),
        stateDigest -> {
          commits.stateDigested(seq, digest, stateDigest);
          if (heldCert != null && heldCert.seq() >= seq) sendCheckpoints(heldCert.seq());
        });
    Vote vote = new Vote(voteView, seq, digest, index, Bytes.EMPTY);
    context.submit(
        crypto -> vote.withAuth(Auth.sign(crypto, out -> voteStatement(out, vote))),
        signed -> {
          lastVote = signed;
          context.broadcast(signed);
          onVote(signed);
        });
  }

  private static void voteStatement(Writer out, Vote vote) {
    Codecs.voteStatement(out, vote.view(), vote.seq(), vote.historyDigest());
  }

  void onVote(Vote vote) {
    commits.addVote(vote).ifPresent(this::hold);
  }

  /**
   * Holds {@code cert} if our history has it; a certificate of this view that our history
   * contradicts means the primary forked us.
   *
   * @return whether our history is consistent with it
   */
  boolean hold(CommitCert cert) {
    if (cert.seq() <= commits.stable().seq()) return true;
    // Our VIEW-CHANGE is out: what we hold from now on it does not report, so we must not
    // promise it to anyone (LOCAL-COMMIT, CHECKPOINT) until the new view is installed.
    if (status != Status.NORMAL) return false;
    Digest own = history.digestAt(cert.seq());
    if (own == null) return false;
    if (!own.equals(cert.historyDigest())) {
      if (cert.view() == view && status == Status.NORMAL) startViewChange(view + 1);
      return false;
    }
    if (heldCert == null
        || cert.view() > heldCert.view()
        || (cert.view() == heldCert.view() && cert.seq() > heldCert.seq())) {
      heldCert = cert;
    }
    sendCheckpoints(cert.seq());
    return true;
  }

  /** CHECKPOINT for every commit point a certificate now covers whose state is digested. */
  private void sendCheckpoints(long upTo) {
    if (status != Status.NORMAL) return;
    for (Commits.OwnState own : commits.statesUpTo(upTo)) {
      if (own.seq() <= checkpointSentFor || own.stateDigest() == null) continue;
      if (!own.historyDigest().equals(history.digestAt(own.seq()))) continue;
      checkpointSentFor = own.seq();
      Checkpoint checkpoint =
          new Checkpoint(own.seq(), own.historyDigest(), own.stateDigest(), index, Bytes.EMPTY);
      context.submit(
          crypto -> checkpoint.withAuth(Auth.sign(crypto, checkpoint::encodeSigned)),
          signed -> {
            lastCheckpoint = signed;
            context.broadcast(signed);
            onCheckpoint(signed);
          });
    }
  }

  void onCheckpoint(Checkpoint checkpoint) {
    commits.addCheckpoint(checkpoint).ifPresent(this::onStableProof);
  }

  private void onStableProof(CheckpointProof proof) {
    if (proof.seq() <= commits.stable().seq()) return;
    Commits.OwnState own = commits.ownState(proof.seq());
    if (proof.historyDigest().equals(history.digestAt(proof.seq()))
        && own != null
        && proof.stateDigest().equals(own.stateDigest())) {
      makeStable(proof, own.state());
      return;
    }
    // Consistent but without our own state there (or not digested yet): fetch it to serve it.
    fetchState(proof);
  }

  /** The checkpoint is stable: what it covers is final, and the history below it is freed. */
  private void makeStable(CheckpointProof proof, Bytes state) {
    assert proof.historyDigest().equals(history.digestAt(proof.seq())) : "stable off history";
    app.commit(history.opNumberAt(proof.seq()));
    records.commit(proof.seq());
    history.prune(proof.seq());
    commits.makeStable(proof, state);
    if (heldCert != null && heldCert.seq() <= proof.seq()) heldCert = null;
    if (fetching != null && fetching.seq() <= proof.seq()) fetching = null;
    resumeNormalCase();
  }

  void retransmitCommits() {
    long stable = commits.stable().seq();
    if (lastVote != null && lastVote.seq() > stable) context.broadcast(lastVote);
    if (lastCheckpoint != null && lastCheckpoint.seq() > stable) {
      context.broadcast(lastCheckpoint);
    }
  }

  // ---- State transfer ----

  /** Opnumber, client records, then the app's snapshot: what a checkpoint's digest covers. */
  Bytes encodeState() {
    App.Snapshot snapshot = app.snapshot();
    Writer out = new Writer(64 + (int) snapshot.size());
    out.u64(opNumber);
    records.encode(out);
    out.bytes(snapshot.read(0, (int) snapshot.size()));
    return out.toBytes();
  }

  private void fetchState(CheckpointProof proof) {
    if (fetching != null && fetching.seq() >= proof.seq()) return;
    fetching = proof;
    fetchStateAgain();
  }

  void fetchStateAgain() {
    if (fetching == null || fetching.seq() <= commits.stable().seq()) return;
    List<ZyzzyvaMessage.Signature> signers = fetching.signatures();
    int replica = signers.get(fetchTurn++ % signers.size()).replica();
    if (replica == index) replica = signers.get(fetchTurn++ % signers.size()).replica();
    context.sendToReplica(replica, new FetchState(fetching.seq(), index));
  }

  void onFetchState(FetchState fetch) {
    CheckpointProof stable = commits.stable();
    // Our stable checkpoint may have moved past the one asked for: a later one serves as well.
    if (stable.seq() < fetch.seq() || stable.seq() == 0 || stateBudget <= 0) return;
    stateBudget--;
    context.sendToReplica(fetch.replica(), new State(stable, commits.stableState(), index));
  }

  void onState(State message) {
    CheckpointProof proof = message.proof();
    if (proof.seq() <= commits.stable().seq()) return;
    if (proof.historyDigest().equals(history.digestAt(proof.seq()))) {
      makeStable(proof, message.state()); // our history has it: keep what lies above
      return;
    }
    Reader in = new Reader(message.state().unsafeArray());
    long checkpointOpNumber;
    ClientRecords decoded;
    Bytes snapshot;
    try {
      checkpointOpNumber = in.u64();
      decoded = ClientRecords.decode(in, Limits.CLIENTS_MAX);
      snapshot = in.bytes(Limits.FRAME_MAX);
      in.end();
    } catch (MalformedMessage e) {
      drops.count(STATE_MISMATCH); // its digest matched 2f+1 signatures: a bug, not a peer
      return;
    }
    App.SnapshotSink sink = app.snapshotSink();
    sink.accept(snapshot);
    sink.commit();
    records = decoded;
    opNumber = checkpointOpNumber;
    history.reset(proof.seq(), proof.historyDigest(), checkpointOpNumber);
    commits.forgetStatesAbove(proof.seq());
    commits.makeStable(proof, message.state());
    heldCert = null;
    fetching = null;
    if (pendingNewView != null) {
      install(pendingNewView, pendingDecision);
    } else {
      acceptHeldOrders();
      resumeNormalCase();
    }
  }

  // ---- View change (see NewViewRule) ----

  void startViewChange(long newView) {
    if (newView <= view) return;
    view = newView;
    status = Status.VIEW_CHANGE;
    clearNormalCase();
    // A wait armed for an earlier view must not end this one: the timer for newView starts once
    // 2f+1 replicas moved to it (armViewChangeTimer). Left running, a replica that joined newView
    // on f+1 VIEW-CHANGEs left it as soon as its old timer fired, alone, before its own
    // VIEW-CHANGE made the quorum the others waited for (seed 1927934821: no view ever formed).
    context.cancelTimer(ZyzzyvaTimer.VIEW_CHANGE);
    CheckpointProof stable = commits.stable();
    Optional<CommitCert> cert =
        heldCert != null && heldCert.seq() > stable.seq()
            ? Optional.of(heldCert)
            : Optional.empty();
    List<Entry> entries = new java.util.ArrayList<>();
    for (Slot slot : history.range(stable.seq() + 1, history.lastSeq())) {
      entries.add(new Entry(slot.seq(), slot.batch()));
    }
    ViewChange viewChange =
        new ViewChange(newView, historyView, stable, cert, entries, index, Bytes.EMPTY);
    context.submit(
        crypto -> viewChange.withAuth(Auth.sign(crypto, viewChange::encodeSigned)),
        signed -> {
          if (view != newView || status != Status.VIEW_CHANGE) return;
          viewChanges.setOwn(signed);
          context.broadcast(signed);
          onViewChange(signed);
        });
  }

  /**
   * PBFT TOCS §4.5.2, which Zyzzyva inherits: the wait for the NEW-VIEW starts once 2f+1 replicas
   * moved to the view, so a replica alone in a later view waits there for the others instead of
   * running ahead through views no quorum will reach.
   */
  private void armViewChangeTimer() {
    if (status != Status.VIEW_CHANGE || viewChangeTimerFor == view) return;
    if (viewChanges.quorumFor(view).isEmpty()) return;
    viewChangeTimerFor = view;
    context.setTimer(
        ZyzzyvaTimer.VIEW_CHANGE, viewChanges.nextTimeout(settings.viewChangeTimeout()));
  }

  void onViewChange(ViewChange viewChange) {
    if (viewChange.newView() < view || (viewChange.newView() == view && status == Status.NORMAL)) {
      NewView installed = viewChanges.installedNewView();
      if (installed != null && viewChange.replica() != index) {
        context.sendToReplica(viewChange.replica(), installed);
      }
      drops.count(STALE_VIEW_CHANGE);
      return;
    }
    viewChanges.add(viewChange);
    OptionalLong join = viewChanges.viewToJoin(view);
    if (join.isPresent()) startViewChange(join.getAsLong());
    armViewChangeTimer();
    maybeSendNewView();
  }

  private void maybeSendNewView() {
    if (status != Status.VIEW_CHANGE || !isPrimary() || viewChanges.newViewSent(view)) return;
    List<ViewChange> quorum = viewChanges.quorumFor(view);
    if (quorum.isEmpty()) return;
    viewChanges.markNewViewSent(view);
    NewView newView = new NewView(view, quorum, index, Bytes.EMPTY);
    context.submit(
        crypto -> newView.withAuth(Auth.sign(crypto, newView::encodeSigned)),
        signed -> {
          context.broadcast(signed);
          onNewView(signed);
        });
  }

  void onNewView(NewView newView) {
    if (newView.view() < view || (newView.view() == view && status == Status.NORMAL)) {
      drops.count(STALE_NEW_VIEW);
      return;
    }
    NewViewRule.Kind kind = rule;
    context.submit(
        crypto -> NewViewRule.decide(newView.viewChanges(), f, kind, crypto.sha256()),
        decision -> install(newView, decision));
  }

  /** Installs the new view's history: rolls back what it does not keep, executes what it adds. */
  void install(NewView newView, NewViewRule.Decision decision) {
    if (newView.view() < view || (newView.view() == view && status == Status.NORMAL)) return;
    CheckpointProof base = decision.checkpoint();
    CheckpointProof stable = commits.stable();
    if (base.seq() > stable.seq() && !base.historyDigest().equals(history.digestAt(base.seq()))) {
      // We lack the new view's checkpoint: fetch its state first, then install.
      view = Math.max(view, newView.view());
      status = Status.VIEW_CHANGE;
      pendingNewView = newView;
      pendingDecision = decision;
      fetchState(base);
      return;
    }
    if (base.seq() > stable.seq()) {
      onStableProof(base);
      stable = commits.stable();
    }
    long common;
    if (stable.seq() > decision.headSeq()) {
      // We hold a later checkpoint already (of a later view's history, which extends this one):
      // what lies above it here is of an older view and goes; the new view's orders above it
      // come by fill-hole.
      common = stable.seq();
    } else {
      long from = Math.max(base.seq(), stable.seq());
      Invariants.check(
          from == base.seq() || digestOf(decision, from).equals(stable.historyDigest()),
          "the new view drops a stable checkpoint at " + from);
      common = from;
      while (common < Math.min(history.lastSeq(), decision.headSeq())
          && history.digestAt(common + 1).equals(digestOf(decision, common + 1))) {
        common++;
      }
    }
    rollbackTo(common);
    for (long seq = common + 1; seq <= decision.headSeq(); seq++) {
      Entry entry = decision.entries().get((int) (seq - base.seq() - 1));
      Digest digest = digestOf(decision, seq);
      Digest previous = history.lastDigest();
      for (Request request : entry.batch()) execute(request, seq, digest, null);
      history.append(
          new Slot(newView.view(), seq, previous, digest, entry.batch(), Bytes.EMPTY, opNumber));
    }
    history.restamp(newView.view());
    if (heldCert != null && !heldCert.historyDigest().equals(history.digestAt(heldCert.seq()))) {
      heldCert = null;
    }
    view = newView.view();
    status = Status.NORMAL;
    historyView = newView.view();
    viewChanges.installed(newView);
    pendingNewView = null;
    pendingDecision = null;
    context.cancelTimer(ZyzzyvaTimer.VIEW_CHANGE);
    if (decision.headSeq() > commits.stable().seq()) commitPoint(decision.headSeq());
    acceptHeldOrders();
    resumeNormalCase();
  }

  private static Digest digestOf(NewViewRule.Decision decision, long seq) {
    if (seq == decision.checkpoint().seq()) return decision.checkpoint().historyDigest();
    return decision.digests().get((int) (seq - decision.checkpoint().seq() - 1));
  }

  /**
   * A replica behind us (it missed our NEW-VIEW, partitioned, and nobody retransmits a view change
   * that ended) learns the view from our NEW-VIEW, at most one per retransmit tick.
   */
  void tellView(oskr.core.Address to) {
    NewView installed = viewChanges.installedNewView();
    if (toldView || installed == null || status != Status.NORMAL) return;
    toldView = true;
    context.send(to, installed);
  }

  void askForView(oskr.core.Address from) {
    if (askedForView) return;
    askedForView = true;
    long next = history.lastSeq() + 1;
    context.send(from, new ZyzzyvaMessage.FillHole(view, next, next, index));
  }
}
