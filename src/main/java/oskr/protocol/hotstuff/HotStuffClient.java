package oskr.protocol.hotstuff;

import java.util.Arrays;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.TimerKey;
import oskr.protocol.hotstuff.HotStuffMessage.Blocks;
import oskr.protocol.hotstuff.HotStuffMessage.FetchBlocks;
import oskr.protocol.hotstuff.HotStuffMessage.NewView;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;
import oskr.protocol.hotstuff.HotStuffMessage.Vote;

/**
 * A HotStuff client: sends its request to every replica (whichever leads next proposes it), accepts
 * a result once f+1 replicas sent matching authenticated replies (checked by {@link
 * HotStuff#verify}), and on timeout sends it again to every replica, waiting twice as long each
 * time (at most eight times). Once f+1 replicas refused its request (the client table did not know
 * the client), it sends the operation again under the number they named.
 */
final class HotStuffClient implements Client<HotStuffMessage> {
  static final String OTHER_CLIENT = "reply for another client";
  static final String NOT_OUTSTANDING = "reply to no outstanding request";
  static final String NOT_FOR_CLIENT = "replica message at a client";
  static final String DUPLICATE = "duplicate reply";
  static final int RESEND_BACK_OFF_MAX = 3;

  private final ClientSetup<HotStuffMessage> setup;
  private final Context<HotStuffMessage> context;
  private final Config config;
  private final Drops drops = new Drops();
  private final Reply[] replies;
  private long requestNumber;
  private Request outstanding;
  private int resends;
  private int refusals;

  HotStuffClient(ClientSetup<HotStuffMessage> setup) {
    this.setup = setup;
    this.context = setup.context();
    this.config = setup.config();
    this.replies = new Reply[config.n()];
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    refusals = 0;
    send(op, requestNumber + 1);
  }

  private void send(Bytes op, long number) {
    assert number > requestNumber : "request numbers only grow";
    requestNumber = number;
    Request unauthenticated = new Request(setup.clientId(), requestNumber, context.self(), op);
    outstanding = unauthenticated;
    Arrays.fill(replies, null);
    resends = 0;
    int n = config.n();
    context.submit(crypto -> Auth.authenticate(crypto, unauthenticated, n), this::onAuthenticated);
    context.setTimer(HotStuffTimer.RESEND, setup.options().resendTimeout());
  }

  private void onAuthenticated(Request request) {
    if (outstanding == null || outstanding.requestNumber() != request.requestNumber()) return;
    outstanding = request;
    context.broadcast(request);
  }

  @Override
  public boolean busy() {
    return outstanding != null;
  }

  @Override
  public void onMessage(Address from, HotStuffMessage message) {
    switch (message) {
      case Reply m -> onReply(m);
      case Request m -> drops.count(NOT_FOR_CLIENT);
      case Proposal m -> drops.count(NOT_FOR_CLIENT);
      case Vote m -> drops.count(NOT_FOR_CLIENT);
      case NewView m -> drops.count(NOT_FOR_CLIENT);
      case FetchBlocks m -> drops.count(NOT_FOR_CLIENT);
      case Blocks m -> drops.count(NOT_FOR_CLIENT);
      case HotStuffMessage.Checkpoint m -> drops.count(NOT_FOR_CLIENT);
      case HotStuffMessage.FetchState m -> drops.count(NOT_FOR_CLIENT);
      case HotStuffMessage.StateChunk m -> drops.count(NOT_FOR_CLIENT);
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
      drops.count(DUPLICATE);
      return;
    }
    replies[reply.replica()] = reply;
    int matching = 0;
    for (Reply other : replies) if (other != null && sameAnswer(reply, other)) matching++;
    if (matching < config.f() + 1) return;
    if (reply.isRefusal()) {
      refusals++;
      send(outstanding.op(), Math.max(requestNumber + 1, reply.retryFrom()));
      return;
    }
    outstanding = null;
    context.cancelTimer(HotStuffTimer.RESEND);
    setup.results().complete(reply.result(), Completion.normal(resends + refusals));
  }

  private static boolean sameAnswer(Reply a, Reply b) {
    return a.retryFrom() == b.retryFrom() && a.result().equals(b.result());
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != HotStuffTimer.RESEND || outstanding == null) return;
    if (outstanding.auth().length() > 0) context.broadcast(outstanding);
    resends++;
    int doublings = Math.min(resends, RESEND_BACK_OFF_MAX);
    context.setTimer(
        HotStuffTimer.RESEND, setup.options().resendTimeout().multipliedBy(1L << doublings));
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
