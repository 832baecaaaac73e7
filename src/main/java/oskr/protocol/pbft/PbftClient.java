package oskr.protocol.pbft;

import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.TimerKey;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * A PBFT client (TOCS §4.1): sends its request to the primary it believes in, accepts a result once
 * f+1 replicas sent matching signed replies (checked by {@link Pbft#verify}), and on timeout
 * resends to every replica, which relay it to the primary and start their view-change timers.
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

  /** The result each replica replied for the outstanding request. */
  private final Bytes[] results;

  /** The highest view seen in a reply: its primary gets the next request first. */
  private long view;

  /**
   * Resends of the outstanding request so far. Each doubles the wait for the next, up to {@link
   * #RESEND_BACK_OFF_MAX} doublings, so that an overloaded cluster is not also flooded with
   * resends (every one reaches all replicas, and each replica checks its authentication).
   */
  private int resends;

  static final int RESEND_BACK_OFF_MAX = 3;

  PbftClient(ClientSetup<PbftMessage> setup) {
    this.setup = setup;
    this.context = setup.context();
    this.config = setup.config();
    this.results = new Bytes[config.n()];
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    requestNumber++;
    Request unauthenticated = new Request(setup.clientId(), requestNumber, context.self(), op);
    outstanding = unauthenticated;
    java.util.Arrays.fill(results, null);
    resends = 0;
    int n = config.n();
    context.submit(crypto -> Auth.authenticate(crypto, unauthenticated, n), this::onAuthenticated);
    context.setTimer(PbftTimer.RESEND, setup.options().resendTimeout());
  }

  private void onAuthenticated(Request request) {
    if (outstanding == null || outstanding.requestNumber() != request.requestNumber()) return;
    outstanding = request;
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
    if (results[reply.replica()] != null) {
      drops.count(PbftReplica.DUPLICATE);
      return;
    }
    results[reply.replica()] = reply.result();
    if (reply.view() > view) view = reply.view();
    int matching = 0;
    for (Bytes result : results) if (reply.result().equals(result)) matching++;
    if (matching < config.f() + 1) return;
    outstanding = null;
    context.cancelTimer(PbftTimer.RESEND);
    setup.results().complete(reply.result());
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != PbftTimer.RESEND || outstanding == null) return;
    context.broadcast(outstanding); // TOCS §4.1: on timeout, to all replicas
    resends++;
    int doublings = Math.min(resends, RESEND_BACK_OFF_MAX);
    context.setTimer(PbftTimer.RESEND, setup.options().resendTimeout().multipliedBy(1L << doublings));
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
