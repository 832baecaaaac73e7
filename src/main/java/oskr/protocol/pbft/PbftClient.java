package oskr.protocol.pbft;

import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.TimerKey;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * A PBFT client (TOCS §4.1): sends its request to the primary it believes in, accepts a result once
 * f+1 replicas sent matching signed replies (checked by {@link Pbft#verify}), and on timeout
 * resends to every replica, which relay it to the primary and start their view-change timers. Once
 * f+1 replicas refused its request (the client table did not know the client, see {@link
 * ClientRecords}), it sends the operation again under the request number they named.
 */
final class PbftClient implements Client<PbftMessage> {
  static final String OTHER_CLIENT = "reply for another client";
  static final String NOT_OUTSTANDING = "reply to no outstanding request";
  static final String NOT_FOR_CLIENT = "replica message at a client";

  private final ClientSetup<PbftMessage> setup;
  private final Context<PbftMessage> context;
  private final Config config;
  private final Drops drops = new Drops();
  private long requestNumber;
  private Request outstanding;

  /** Whether {@link #outstanding} carries its authentication (its job has run). */
  private boolean authenticated;

  /** Each replica's reply to the outstanding request. */
  private final Reply[] replies;

  /** Per replica, the highest view its replies showed (each counts once, see {@link #view}). */
  private final long[] replyViews;

  /**
   * The view f+1 replicas vouched for in replies: its primary gets the next request first. TOCS
   * §4.1 has clients track the view from replies and leaves how; one reply may come from a faulty
   * replica, which could name a view whose primary ignores requests and so send every request down
   * the resend path. A view that f+1 replicas replied from (or from a later one) is reached by at
   * least one correct replica. It never goes back: correct replicas' views only grow.
   */
  private long view;

  /**
   * Resends of the outstanding request so far. Each doubles the wait for the next, up to {@link
   * #RESEND_BACK_OFF_MAX} doublings, so that an overloaded cluster is not also flooded with resends
   * (every one reaches all replicas, and each replica checks its authentication).
   */
  private int resends;

  /** Times the outstanding operation was sent again under a new number after f+1 refusals. */
  private int refusals;

  static final int RESEND_BACK_OFF_MAX = 3;

  PbftClient(ClientSetup<PbftMessage> setup) {
    this.setup = setup;
    this.context = setup.context();
    this.config = setup.config();
    this.replies = new Reply[config.n()];
    this.replyViews = new long[config.n()];
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    refusals = 0;
    send(op, requestNumber + 1);
  }

  /** Sends {@code op} as request {@code number}, the client's new outstanding request. */
  private void send(Bytes op, long number) {
    assert number > requestNumber : "request numbers only grow";
    requestNumber = number;
    Request unauthenticated = new Request(setup.clientId(), requestNumber, context.self(), op);
    outstanding = unauthenticated;
    authenticated = false;
    java.util.Arrays.fill(replies, null);
    resends = 0;
    int n = config.n();
    context.submit(crypto -> Auth.authenticate(crypto, unauthenticated, n), this::onAuthenticated);
    context.setTimer(PbftTimer.RESEND, setup.options().resendTimeout());
  }

  private void onAuthenticated(Request request) {
    if (outstanding == null || outstanding.requestNumber() != request.requestNumber()) return;
    outstanding = request;
    authenticated = true;
    context.sendToReplica((int) (view % config.n()), request);
  }

  @Override
  public boolean busy() {
    return outstanding != null;
  }

  @Override
  public void onMessage(Address from, PbftMessage message) {
    switch (message) {
      case Reply m -> onReply(m);
      case Request m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.PrePrepare m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.Prepare m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.Commit m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.Checkpoint m -> drops.count(NOT_FOR_CLIENT);
      case ViewChange m -> drops.count(NOT_FOR_CLIENT);
      case NewView m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.FetchState m -> drops.count(NOT_FOR_CLIENT);
      case StateChunk m -> drops.count(NOT_FOR_CLIENT);
      case PbftMessage.FetchLog m -> drops.count(NOT_FOR_CLIENT);
      case CommittedProof m -> drops.count(NOT_FOR_CLIENT);
      case Reject m -> drops.count(NOT_FOR_CLIENT);
    }
  }

  private void onReply(Reply reply) {
    if (reply.clientId() != setup.clientId()) {
      drops.count(OTHER_CLIENT);
      return;
    }
    if (outstanding == null || reply.requestNumber() != outstanding.requestNumber()) {
      drops.count(NOT_OUTSTANDING);
      return;
    }
    Reply previous = replies[reply.replica()];
    if (previous != null && sameAnswer(previous, reply)) {
      drops.count(PbftReplica.DUPLICATE);
      return;
    }
    // The latest reply of each replica counts: a refused request that was ordered again after its
    // refusal was evicted is refused again with another number, and every correct replica's latest
    // refusal names the same one.
    replies[reply.replica()] = reply;
    noteView(reply.replica(), reply.view());
    int matching = 0;
    for (Reply other : replies) if (other != null && sameAnswer(reply, other)) matching++;
    if (matching < config.f() + 1) return;
    if (reply.isRefusal()) {
      // One of the f+1 is correct, and a refused request never executes later: the operation goes
      // again (ClientRecords says when it may have executed before).
      refusals++;
      send(outstanding.op(), Math.max(requestNumber + 1, reply.retryFrom()));
      return;
    }
    outstanding = null;
    context.cancelTimer(PbftTimer.RESEND);
    setup.results().complete(reply.result(), Completion.normal(resends + refusals));
  }

  private static boolean sameAnswer(Reply a, Reply b) {
    return a.retryFrom() == b.retryFrom() && a.result().equals(b.result());
  }

  /** Moves {@link #view} to the highest view that f+1 replicas' replies reached. */
  private void noteView(int replica, long replyView) {
    if (replyView <= replyViews[replica]) return;
    replyViews[replica] = replyView;
    long[] sorted = replyViews.clone();
    java.util.Arrays.sort(sorted);
    long vouched = sorted[sorted.length - (config.f() + 1)]; // the (f+1)-th highest
    if (vouched > view) view = vouched;
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != PbftTimer.RESEND || outstanding == null) return;
    // Not authenticated yet (an overloaded client's job queue): replicas would only drop it.
    if (authenticated) context.broadcast(outstanding); // TOCS §4.1: on timeout, to all replicas
    resends++;
    int doublings = Math.min(resends, RESEND_BACK_OFF_MAX);
    context.setTimer(
        PbftTimer.RESEND, setup.options().resendTimeout().multipliedBy(1L << doublings));
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
