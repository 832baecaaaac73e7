package oskr.protocol.hotstuff;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.protocol.ClientTable;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Job;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.TimerKey;
import oskr.protocol.hotstuff.HotStuffMessage.Blocks;
import oskr.protocol.hotstuff.HotStuffMessage.Checkpoint;
import oskr.protocol.hotstuff.HotStuffMessage.FetchBlocks;
import oskr.protocol.hotstuff.HotStuffMessage.FetchState;
import oskr.protocol.hotstuff.HotStuffMessage.NewView;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;
import oskr.protocol.hotstuff.HotStuffMessage.StateChunk;
import oskr.protocol.hotstuff.HotStuffMessage.Vote;

/**
 * A chained HotStuff replica (Algorithm 3): the view, the last view it voted in ({@code vheight}),
 * the locked block, the highest QC and the last committed block, which it alone changes. Parts own
 * the rest: {@link BlockTree} the blocks, {@link Votes} the next leader's votes, {@link Pacemaker}
 * the NEW-VIEW announcements, {@link BlockSync} what waits for missing blocks, {@link Mempool} the
 * requests, {@link Execution} the app and client table, {@link Checkpoints} the checkpoints and
 * {@link StateTransfer} the state fetched from one.
 */
final class HotStuffReplica implements Replica<HotStuffMessage> {
  static final String STALE = "stale view";
  static final String NOT_NEXT_LEADER = "vote for a view this replica does not lead next";
  static final String REPLY_AT_REPLICA = "reply sent to a replica";
  static final String UNSAFE = "proposal violates the lock";
  static final String RECOVERING =
      "no vote: recovering from a state loss, or at or below its floor";
  static final String CHECKPOINT_GONE = "fetched state's block no longer on the retained chain";

  final int index;
  final Config config;
  final Context<HotStuffMessage> context;
  final Drops drops = new Drops();
  private final HotStuffSettings settings;
  private final int batchSizeMax;
  private final HotStuff.PlantedBug bug;
  private final int quorum;
  private final BlockTree tree;
  private final Votes votes;
  private final Pacemaker pacemaker;
  private final BlockSync sync;
  private final Execution execution;
  private final VerifiedVotes verifiedVotes;
  private final ProposalCheck proposalCheck;
  private final Checkpoints checkpoints;
  private final ChunkBudget chunkBudget;
  private final StateTransfer transfer;

  private long view = 1;
  private long lastVotedView;
  private long proposedView;
  private Digest lockedBlock = QuorumCert.GENESIS_BLOCK;
  private long lockedView;
  private QuorumCert qcHigh = QuorumCert.GENESIS;
  private Digest committedBlock = QuorumCert.GENESIS_BLOCK;
  private long committedView;

  /**
   * After a restart without state: what it learns before it votes again (null once done, and for a
   * replica that never lost its state). See {@link Recovery} for the rule and why it is safe.
   */
  private Recovery recovery;

  /** The highest view the recovery found it may have voted or proposed in before the crash. */
  private long voteFloor;

  /** Whether the tree may restart from a committed block: empty, after a state loss. */
  private final boolean lostState;

  /**
   * False while the replica skips committed history it could not fetch (its tree restarted from a
   * committed block above what it executed): it has no app state to execute later blocks on, so it
   * orders without executing or replying until it installs a proven checkpoint's state.
   */
  private boolean executes = true;

  /**
   * Committed blocks executed since genesis (or the installed checkpoint's): checkpoints go by it.
   */
  private long executedHeight;

  /** The largest batch this replica proposed: observability for tests of batching. */
  private int batchSizeSeen;

  /** The view whose leader this replica relays a QC to if no proposal comes, or 0. */
  private long relayView;

  /** The view the pacemaker's timer runs for, or -1 when idle. */
  private long armedView = -1;

  /**
   * Timeouts in a row without entering a view: each doubles the next one, so a replica whose views
   * are slower than the timeout (a cold start, a loaded machine) backs off instead of sending
   * NEW-VIEWs every timeout, whose verification would delay the proposals further.
   */
  private long timeoutsInARow;

  /**
   * Per replica, the (view, qcHigh view, nonce) of the last NEW-VIEW sent back to it: one answer
   * per announcement, QC and recovery, so two replicas cannot keep answering each other's answers.
   */
  private final long[] answeredView;

  private final long[] answeredQc;
  private final long[] answeredNonce;

  HotStuffReplica(ReplicaSetup<HotStuffMessage> setup, HotStuff.PlantedBug bug, int quorum) {
    this.index = setup.index();
    this.config = setup.config();
    this.context = setup.context();
    this.settings = HotStuffSettings.of(setup.options());
    this.batchSizeMax = setup.options().batchSizeMax();
    this.bug = bug;
    this.quorum = quorum;
    this.tree = new BlockTree(settings.retainedBlocks());
    this.sync = new BlockSync(tree, context, index, config.n(), settings.viewTimeout(), drops);
    this.votes = new Votes(config.n(), quorum(), drops);
    this.pacemaker = new Pacemaker(config.n(), config.f());
    this.execution = new Execution(setup.app(), new ClientTable<>(), context, index, drops);
    this.answeredView = new long[config.n()];
    this.answeredQc = new long[config.n()];
    this.verifiedVotes = new VerifiedVotes(config.n());
    this.proposalCheck = new ProposalCheck(context, execution, verifiedVotes, drops, config, index);
    this.lostState = setup.start() == ReplicaSetup.Start.AFTER_STATE_LOSS;
    this.answeredNonce = new long[config.n()];
    this.checkpoints =
        new Checkpoints(
            context, index, config.n(), config.f(), settings.checkpointInterval(), drops);
    this.chunkBudget = new ChunkBudget(context, config.n(), settings.viewTimeout(), drops);
    this.transfer =
        new StateTransfer(
            context, index, config.n(), settings.viewTimeout(), drops, execution, chunkBudget);
    if (lostState) {
      long nonce = context.random().nextLong();
      this.recovery = new Recovery(config.n(), config.f(), index, nonce == 0 ? 1 : nonce);
    }
  }

  /** The votes a QC needs: n-f. */
  private int n() {
    return config.n();
  }

  int quorum() {
    return quorum;
  }

  @Override
  public void onStart() {
    armedView = -1; // timers died with a pause
    sync.resume();
    sync.refill();
    chunkBudget.refill();
    if (transfer.inProgress()) transfer.onTimeout(); // its timer died with the pause
    if (recovery != null) announce(view + 1); // asks the others for their views and QCs
    afterEvent();
  }

  @Override
  public void onMessage(Address from, HotStuffMessage message) {
    switch (message) {
      case Request m -> execution.onRequest(m, view);
      case Proposal m -> onProposal(m);
      case Vote m -> onVote(m);
      case NewView m -> onNewView(m);
      case FetchBlocks m -> sync.serve(m);
      case Blocks m -> onBlocks(m);
      case Checkpoint m -> checkpoints.onCheckpoint(m);
      case FetchState m -> transfer.serve(m, checkpoints);
      case StateChunk m -> onStateChunk(m);
      case Reply m -> drops.count(REPLY_AT_REPLICA);
    }
    afterEvent();
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key == HotStuffTimer.VIEW) {
      armedView = -1; // fires again after another timeout: the NEW-VIEW goes again
      timeoutsInARow++;
      announce(view + 1); // §4.3: no progress in time, on to the next leader
    } else if (key == HotStuffTimer.RELAY) {
      onRelayTimeout();
    } else if (key == HotStuffTimer.FETCH_REFILL) {
      sync.refill();
    } else if (key == HotStuffTimer.SYNC) {
      sync.retry(); // the same block again: the next replica is asked
    } else if (key == HotStuffTimer.STATE_TRANSFER) {
      transfer.onTimeout();
    } else if (key == HotStuffTimer.STATE_REFILL) {
      chunkBudget.refill();
    }
    afterEvent();
  }

  private void afterEvent() {
    restartTreeIfPruned();
    fetchStateIfBehind();
    finishRecovery();
    tryPropose();
    updateTimer();
    assert invariantsHold();
  }

  // ---- proposals and votes (Algorithm 3) -----------------------------------------------------

  private void onProposal(Proposal proposal) {
    handleProposal(proposal, false);
    onInserted();
  }

  /** A proposal whose QC and requests a job verified: on as if it had just arrived. */
  private void onProposalChecked(Proposal proposal) {
    handleProposal(proposal, true);
    onInserted();
    afterEvent();
  }

  /**
   * @param checked whether its QC and requests are verified (ProposalCheck), or its own
   */
  private void handleProposal(Proposal proposal, boolean checked) {
    Block block = proposal.block();
    if (block.view() <= committedView) {
      drops.count(STALE);
      return;
    }
    // Nothing acts on a proposal (not even a fetch of its parent) before its QC and requests are
    // authentic here: BlockSync trusts a waiting proposal's justify.
    if (!checked && !proposalCheck.verified(proposal, this::onProposalChecked)) return;
    if (!tree.known(block.parent())) {
      sync.waitFor(new BlockSync.Waiting(block.parent(), proposal, null), block.proposer());
      return;
    }
    if (!tree.known(proposal.digest())) {
      String refusal = tree.refusal(proposal.digest(), block, true);
      if (refusal != null) {
        drops.count(refusal);
        return;
      }
      tree.insert(proposal.digest(), block);
    }
    processProposal(proposal.digest(), block);
  }

  /**
   * Algorithm 3, on receiving a proposal whose chain is known: update, then maybe vote; a proposal
   * of the current view ends it (the replica waits for the next view's proposal from then on).
   */
  private void processProposal(Digest digest, Block block) {
    assert tree.known(digest) : "processing an unknown block";
    assert tree.known(block.parent()) : "processing a block without its parent";
    processQc(block.justify());
    if (block.view() > view) enterView(block.view());
    if (block.view() != view || block.view() <= lastVotedView) return;
    if (!mayVoteIn(block.view())) {
      drops.count(RECOVERING);
    } else if (safeNode(digest, block)) {
      vote(digest, block.view());
    } else {
      drops.count(UNSAFE);
    }
    enterView(block.view() + 1);
  }

  /**
   * Votes for {@code digest} of {@code votedView}, to the next leader and the f after it.
   * Deviation: the paper sends a vote to the next leader only. With round-robin leaders, the QC of
   * b'' that commits b must then come from the leader of the view after b'', and a crashed leader
   * every n views would leave no four consecutive leaders alive to commit anything (n = 4, f = 1);
   * with f+1 recipients one of them is correct and proposes on that QC when its view comes.
   */
  private void vote(Digest digest, long votedView) {
    assert votedView > lastVotedView : "voting twice in a view";
    lastVotedView = votedView;
    Vote unsigned = new Vote(votedView, digest, index, Bytes.EMPTY);
    context.submit(
        crypto -> new Vote(votedView, digest, index, Auth.sign(crypto, unsigned::encodeSigned)),
        signed -> {
          verifiedVotes.remember(votedView, digest, index, signed.signature());
          boolean toSelf = false;
          for (int leader : HotStuff.voteRecipients(votedView, config)) {
            if (leader == index) {
              toSelf = true;
            } else {
              context.sendToReplica(leader, signed);
            }
          }
          if (toSelf) {
            onVote(signed);
            afterEvent();
          }
        });
  }

  /**
   * The safe-node predicate of Algorithm 3: the block extends the locked block (safety), or its QC
   * is of a later view than the lock (liveness).
   */
  private boolean safeNode(Digest digest, Block block) {
    return tree.extendsBlock(digest, lockedBlock, lockedView)
        || block.justify().view() > lockedView;
  }

  /**
   * Algorithm 3's update for a verified QC whose block is known: qcHigh, the lock on b' (the block
   * b'' certifies), and the commit of b when b, b', b'' are a direct three-chain: each the parent
   * of the next, in consecutive views.
   */
  private void processQc(QuorumCert qc) {
    assert tree.known(qc.block()) : "a QC for an unknown block";
    if (qc.view() > qcHigh.view()) qcHigh = qc;
    Block b2 = tree.get(qc.block());
    if (b2 == null) return;
    if (bug == HotStuff.PlantedBug.ONE_CHAIN_COMMIT && b2.view() > lockedView) {
      lockedBlock = qc.block(); // the mutant locks what it commits, so only the checks catch it
      lockedView = b2.view();
      commit(qc.block(), b2);
    }
    Block b1 = tree.get(b2.parent());
    if (b1 == null) return;
    if (b1.view() > lockedView) {
      lockedBlock = b2.parent();
      lockedView = b1.view();
    }
    Block b0 = tree.get(b1.parent());
    if (b0 == null) return;
    if (b2.view() == b1.view() + 1 && b1.view() == b0.view() + 1) commit(b1.parent(), b0);
  }

  private void onVote(Vote vote) {
    if (Math.abs(vote.view() - view) <= VerifiedVotes.VIEWS_MAX / 2) {
      verifiedVotes.remember(vote.view(), vote.block(), vote.replica(), vote.signature());
    }
    if (!HotStuff.isVoteRecipient(vote.view(), index, config)) {
      drops.count(NOT_NEXT_LEADER);
      return;
    }
    votes.add(vote, qcHigh.view(), view).ifPresent(this::onQcFormed);
  }

  private void onQcFormed(QuorumCert qc) {
    assert qc.signatures().size() == quorum() : "a QC of the wrong size";
    if (!tree.known(qc.block())) {
      sync.waitFor(new BlockSync.Waiting(qc.block(), null, qc), HotStuff.leader(qc.view(), n()));
      return;
    }
    advanceOn(qc);
    int nextLeader = HotStuff.leader(qc.view() + 1, config.n());
    if (nextLeader != index && view == qc.view() + 1) {
      // A later leader formed this QC: if the next leader did not (it may lack votes that went
      // astray), it gets the QC from here, unless its proposal arrives first.
      relayView = view;
      context.setTimer(HotStuffTimer.RELAY, settings.viewTimeout().dividedBy(4));
    }
  }

  /** A verified QC whose block is known: Algorithm 3's update, and the view after it begins. */
  private void advanceOn(QuorumCert qc) {
    processQc(qc);
    if (qc.view() >= view) enterView(qc.view() + 1);
  }

  /** No proposal yet in the view a QC formed here opened: its leader gets the QC now. */
  private void onRelayTimeout() {
    if (view != relayView || qcHigh.view() != view - 1) return;
    int leader = HotStuff.leader(view, config.n());
    context.submit(newView(view, 0), signed -> context.sendToReplica(leader, signed));
  }

  // ---- the pacemaker (§4.3) ------------------------------------------------------------------

  private void onNewView(NewView newView) {
    QuorumCert qc = newView.qcHigh();
    if (!qc.isGenesis() && qc.view() > qcHigh.view()) verifiedVotes.remember(qc);
    if (recovery != null) recovery.report(newView.replica(), newView.view(), qc, newView.nonce());
    if (qc.view() > qcHigh.view()) {
      if (tree.known(qc.block())) {
        advanceOn(qc);
      } else {
        sync.waitFor(new BlockSync.Waiting(qc.block(), null, qc), newView.replica());
      }
    }
    if (qcHigh.view() > qc.view() && recovery == null) {
      // The sender lacks a QC this replica has: perhaps the one that commits what it waits for,
      // which a leader sent to some replicas only, or it lost its state (Recovery, which needs the
      // view announced too). One answer per announced view or newer QC.
      long current = Math.max(Math.max(view, pacemaker.announced(index)), qcHigh.view() + 1);
      int sender = newView.replica();
      if (newView.view() > answeredView[sender]
          || qcHigh.view() > answeredQc[sender]
          || newView.nonce() != answeredNonce[sender]) {
        answeredView[sender] = Math.max(answeredView[sender], newView.view());
        answeredQc[sender] = qcHigh.view();
        answeredNonce[sender] = newView.nonce();
        context.submit(
            newView(current, newView.nonce()), signed -> context.sendToReplica(sender, signed));
      }
    }
    pacemaker.announce(newView.replica(), newView.view());
    long vouched = pacemaker.vouchedView();
    // f+1 announced it: one correct replica timed out there, so this one joins it, also when it
    // is in that view already without having announced it (it voted its way in): else a leader
    // whose predecessor sent its proposal to one replica only never collects n-f NEW-VIEWs while
    // that replica's timer is slow (hotstuff-hmac seed 1908470515).
    // Recovering, it cannot vote there: it asks on its own timer only.
    if (vouched >= view && vouched > pacemaker.announced(index) && recovery == null) {
      announce(vouched);
    }
    enterCertifiedView();
  }

  /**
   * Announces that this replica gave up the views below {@code target}: NEW-VIEW with qcHigh to
   * every replica (again, if it announced it before and is still waiting).
   */
  private void announce(long target) {
    pacemaker.announce(index, target);
    context.submit(newView(target, recovery != null ? recovery.nonce() : 0), context::broadcast);
    enterCertifiedView();
  }

  /**
   * Enters the highest view n-f replicas announced (a timeout certificate of sorts), so that no
   * replica runs ahead of a quorum on its own timeouts: a leader with n-f NEW-VIEWs proposes.
   */
  private void enterCertifiedView() {
    long certified = pacemaker.certifiedView(quorum());
    if (certified > view) enterView(certified);
  }

  /**
   * Moves to view {@code newView}: on a QC of the view before or a proposal (progress), or once n-f
   * replicas announced it.
   */
  private void enterView(long newView) {
    assert newView > view : "views only grow";
    view = newView;
    votes.pruneUpTo(qcHigh.view());
    armedView = -1; // a new view, a new timeout
    timeoutsInARow = 0;
  }

  /**
   * The job signing a NEW-VIEW for {@code announced} with qcHigh and {@code nonce}; while
   * recovering with the genesis QC, which every replica that knows a later one answers (Recovery).
   */
  private Job<NewView> newView(long announced, long nonce) {
    QuorumCert carried = recovery != null ? QuorumCert.GENESIS : qcHigh;
    NewView unsigned = new NewView(announced, carried, index, nonce, Bytes.EMPTY);
    return crypto -> unsigned.withSignature(Auth.sign(crypto, unsigned::encodeSigned));
  }

  /** The leader proposes once per view, as soon as it may and has work (adaptive batching). */
  private void tryPropose() {
    if (HotStuff.leader(view, config.n()) != index || proposedView >= view) return;
    if (!mayVoteIn(view)) return; // it may have proposed in this view before a state loss
    boolean mayPropose = qcHigh.view() == view - 1 || pacemaker.announcedAtLeast(view) >= quorum();
    if (!mayPropose || !tree.known(qcHigh.block()) || !needsProposal()) return;
    Set<Mempool.RequestId> inFlight = inFlight(qcHigh.block());
    List<Request> batch = execution.batch(batchSizeMax, inFlight);
    proposedView = view;
    batchSizeSeen = Math.max(batchSizeSeen, batch.size());
    Block block = new Block(view, qcHigh, batch, index);
    context.submit(
        crypto -> {
          Digest digest = HotStuff.digest(block, crypto);
          Proposal unsigned = new Proposal(block, digest, Bytes.EMPTY);
          return new Proposal(block, digest, Auth.authenticateProposal(crypto, unsigned, n()));
        },
        proposal -> {
          if (proposal.block().view() != view) return; // moved on meanwhile
          context.broadcast(proposal);
          // Its own: qcHigh was verified, the batch came from its mempool of verified requests.
          handleProposal(proposal, true);
          onInserted();
          afterEvent();
        });
  }

  /** The requests in uncommitted blocks from {@code head} down. */
  private Set<Mempool.RequestId> inFlight(Digest head) {
    Set<Mempool.RequestId> ids = new HashSet<>();
    for (Block block : tree.chainAbove(head, committedView, new Digest[1])) {
      for (Request request : block.batch()) {
        ids.add(new Mempool.RequestId(execution.identity(request), request.requestNumber()));
      }
    }
    return ids;
  }

  /**
   * Work that needs views to progress: a request not yet executed, or a block with requests not yet
   * committed (progress without load: empty blocks complete its three-chain). Idle replicas run no
   * timer and propose nothing.
   */
  private boolean hasWork() {
    return execution.hasPending()
        || tree.hasRequestsAbove(committedView)
        || sync.hasWaiting()
        || recovery != null;
  }

  /**
   * Whether the leader should propose: work pending, or requests in qcHigh's block or the two below
   * it, whose lock and commit the other replicas learn only from the QC this proposal carries.
   */
  private boolean needsProposal() {
    if (execution.hasPending() || tree.hasRequestsAbove(committedView)) return true;
    Digest current = qcHigh.block();
    for (int depth = 0; depth < 3; depth++) {
      Block block = tree.get(current);
      if (block == null) return false;
      if (!block.batch().isEmpty()) return true;
      current = block.parent();
    }
    return false;
  }

  private void updateTimer() {
    boolean work = hasWork();
    if (work && armedView != view) {
      // Recovering, its qcHigh lags the views: it asks again after the base timeout, doubled for
      // each time in a row no answer moved it on (an idle group answers nothing new).
      long backOff =
          recovery != null
              ? timeoutsInARow
              : Math.max(view, pacemaker.announced(index)) - qcHigh.view() - 2 + timeoutsInARow;
      context.setTimer(HotStuffTimer.VIEW, settings.timeout(backOff));
      armedView = view;
    } else if (!work && armedView != -1) {
      context.cancelTimer(HotStuffTimer.VIEW);
      armedView = -1;
    }
  }

  // ---- commit and execution ------------------------------------------------------------------

  /** Commits {@code digest} (known, of view above or at the last committed) and its ancestors. */
  private void commit(Digest digest, Block block) {
    if (block.view() <= committedView) {
      Invariants.check(
          tree.extendsBlock(committedBlock, digest, block.view()),
          "a committed block off the committed chain");
      return;
    }
    List<Digest> digests = tree.digestsAbove(digest, committedView, committedBlock);
    Invariants.check(!digests.isEmpty(), "two conflicting blocks committed");
    for (Digest committed : digests) {
      if (executes) {
        execute(committed);
      } else {
        execution.skipBlock(tree.get(committed));
      }
    }
    committedBlock = digest;
    committedView = block.view();
    tree.committed(digests, committedView);
    sync.pruneUpTo(committedView);
  }

  /** Executes the committed block {@code digest}, the next one; every K blocks, a checkpoint. */
  private void execute(Digest digest) {
    execution.executeBlock(tree.get(digest), view);
    executedHeight++;
    if (executedHeight % settings.checkpointInterval() == 0) {
      checkpoints.take(executedHeight, digest, execution.stateImage(executedHeight, digest));
    }
  }

  // ---- recovery from a state loss --------------------------------------------------------------

  /** Votes and proposals wait for the recovery, and go only above its floor. */
  private boolean mayVoteIn(long candidate) {
    return recovery == null && candidate > voteFloor;
  }

  /**
   * Recovery ends once n-f replicas answered and this replica holds the highest QC they reported
   * (or committed past it): it locks on that QC's block, at least as high as the lock it lost, and
   * votes and proposes only above the floor from then on.
   */
  private void finishRecovery() {
    if (recovery == null || !recovery.complete()) return;
    QuorumCert highest = recovery.highestQc();
    if (!tree.known(highest.block()) && committedView < highest.view()) {
      if (!sync.waitsFor(highest.block())) {
        sync.waitFor(new BlockSync.Waiting(highest.block(), null, highest), -1);
      }
      return;
    }
    if (tree.known(highest.block()) && highest.view() > qcHigh.view()) advanceOn(highest);
    if (highest.view() > lockedView) {
      lockedBlock = highest.block();
      lockedView = highest.view();
    }
    voteFloor = recovery.floor();
    recovery = null;
  }

  /**
   * A replica that finds the chain below what it fetched pruned everywhere (asked of every replica
   * at once, still missing a period later), with a committed block above its own in what it
   * fetched, starts its tree from the highest block the fetched chain proves committed: it lost its
   * state, or fell behind the retention. It cannot execute what follows without the state below, so
   * it orders without executing until it installs a proven checkpoint's state.
   */
  private void restartTreeIfPruned() {
    if (!sync.exhausted()) return;
    // One that executed blocks gives its state up only when a proven checkpoint shows it behind
    // (a block missing everywhere for one period may be messages lost, not pruning); one that
    // lost its state has nothing to give up.
    boolean fresh = lostState && tree.size() == 0 && committedView == 0;
    Checkpoints.Proven proven = checkpoints.proven();
    if (!fresh && (proven == null || proven.height() <= executedHeight)) return;
    BlockSync.Anchor anchor = sync.committedAnchor();
    if (anchor == null || anchor.block().view() <= committedView) return;
    tree.restartFrom(anchor.digest(), anchor.block());
    executes = false;
    committedBlock = anchor.digest();
    committedView = anchor.block().view();
    // Every block certified later extends a committed block: a lock on it is safe. A later lock
    // stays (a lock only rises).
    if (committedView > lockedView) {
      lockedBlock = anchor.digest();
      lockedView = committedView;
    }
    for (String refusal : sync.attach(tree, anchor.digest())) drops.count(refusal);
    Invariants.check(tree.known(anchor.proof().block()), "the anchor's proof off the tree");
    advanceOn(anchor.proof());
    sync.pruneUpTo(committedView);
    onInserted();
  }

  // ---- state transfer ------------------------------------------------------------------------

  /**
   * A replica that does not execute fetches the state of the latest proven checkpoint once that
   * checkpoint's block is on its own retained committed chain: it then executes the blocks above it
   * from its own tree. One below its tree's root is of no use; the next one, K blocks later, is.
   */
  private void fetchStateIfBehind() {
    Checkpoints.Proven proven = checkpoints.proven();
    if (executes || proven == null || !onCommittedChain(proven.block())) return;
    transfer.start(proven);
  }

  /** Whether {@code digest} is on the committed chain this replica retains. */
  private boolean onCommittedChain(Digest digest) {
    if (!tree.known(digest)) return false;
    long digestView = tree.viewOf(digest);
    return digestView <= committedView && tree.extendsBlock(committedBlock, digest, digestView);
  }

  private void onStateChunk(StateChunk m) {
    StateTransfer.Fetched fetched = transfer.onChunk(m);
    if (fetched != null) install(fetched);
  }

  /**
   * Installs a fetched state (app, client table, op number) whose every chunk matched the digest
   * f+1 replicas signed, then executes the committed blocks above its checkpoint from the tree.
   */
  private void install(StateTransfer.Fetched fetched) {
    Checkpoints.Proven checkpoint = fetched.checkpoint();
    if (executes || !onCommittedChain(checkpoint.block())) {
      drops.count(CHECKPOINT_GONE); // it fell below the retention meanwhile: the next one then
      transfer.cancel();
      return;
    }
    try {
      execution.restore(fetched.header(), fetched.sink(), checkpoint.height(), checkpoint.block());
    } catch (MalformedMessage | IllegalArgumentException e) {
      transfer.restartAfterBadSnapshot(); // f+1 signed this digest: only a bug gets here
      return;
    }
    transfer.installed();
    executes = true;
    executedHeight = checkpoint.height();
    // Frozen now, digested on a worker: served once its digest matches the proven one.
    checkpoints.take(
        executedHeight,
        checkpoint.block(),
        execution.stateImage(executedHeight, checkpoint.block()));
    long base = tree.viewOf(checkpoint.block());
    for (Digest digest : tree.digestsAbove(committedBlock, base, checkpoint.block())) {
      execute(digest);
    }
  }

  // ---- block sync ----------------------------------------------------------------------------

  private void onBlocks(Blocks message) {
    if (!sync.receive(message, committedView)) return;
    onInserted();
  }

  /** Blocks were inserted: proposals and QCs waiting for them go on; fetch what still misses. */
  private void onInserted() {
    for (int round = 0; round <= BlockSync.WAITING_MAX; round++) {
      List<BlockSync.Waiting> ready = sync.ready(tree::known);
      if (ready.isEmpty()) break;
      for (BlockSync.Waiting item : ready) {
        if (item.proposal() != null) {
          handleProposal(item.proposal(), false);
        } else {
          advanceOn(item.qc());
        }
      }
    }
    sync.fetchMissing(-1);
  }

  // ---- observability -------------------------------------------------------------------------

  private boolean invariantsHold() {
    assert committedView <= lockedView : "committed above the lock";
    assert lockedView <= qcHigh.view() : "locked above qcHigh";
    assert lastVotedView <= view : "voted in a future view";
    assert proposedView <= view : "proposed in a future view";
    assert tree.size() <= BlockTree.BLOCKS_MAX : "block store over its bound";
    return true;
  }

  @Override
  public Drops drops() {
    return drops;
  }

  long view() {
    return view;
  }

  long committedView() {
    return committedView;
  }

  long opNumber() {
    return execution.opNumber();
  }

  int batchSizeSeen() {
    return batchSizeSeen;
  }

  /** The last committed block: for tests that need a digest every replica holds. */
  Digest committedBlock() {
    return committedBlock;
  }

  long blocksServedTo(int replica) {
    return sync.blocksServedTo(replica);
  }

  long chunksServedTo(int replica) {
    return chunkBudget.servedTo(replica);
  }

  /** Whether the replica executes committed blocks (false while it lacks the state below them). */
  boolean executes() {
    return executes;
  }

  long executedHeight() {
    return executedHeight;
  }

  /** The latest proven checkpoint's height, or 0. */
  long provenHeight() {
    Checkpoints.Proven proven = checkpoints.proven();
    return proven == null ? 0 : proven.height();
  }

  int checkpointEntries() {
    return checkpoints.memoryEntries();
  }

  Checkpoints checkpointsForTests() {
    return checkpoints;
  }

  /** The whole state image at the last executed block, as bytes: for tests comparing replicas. */
  oskr.core.Bytes stateForTests() {
    oskr.protocol.StateImage image = execution.stateImage(executedHeight, committedBlock);
    oskr.core.Writer out = new oskr.core.Writer((int) image.size());
    for (int chunk = 0; chunk < image.chunkCount(); chunk++) {
      oskr.core.Bytes data = image.chunk(chunk);
      out.raw(data.unsafeArray(), 0, data.length());
    }
    return out.toBytes();
  }

  int blockCount() {
    return tree.size();
  }
}
