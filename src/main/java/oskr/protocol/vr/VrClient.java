package oskr.protocol.vr;

import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.TimerKey;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;

/**
 * A VR client (the paper's client proxy, §4.1): sends its request to the primary of the latest view
 * it knows, accepts the first reply to it (crash faults: a replica replies only with a committed
 * result), and on timeout resends to every replica, doubling the wait for each further resend (at
 * most 8x). It learns the view from replies. A refusal (see {@link oskr.protocol.ClientTable})
 * means the request never executes: the operation goes again under the number it names.
 */
final class VrClient implements Client<VrMessage> {
  static final String NOT_FROM_REPLICA = "reply not from a replica";
  static final String OTHER_CLIENT = "reply for another client";
  static final String NOT_OUTSTANDING = "reply to no outstanding request";
  static final String NOT_FOR_CLIENT = "replica message at a client";

  static final int RESEND_BACK_OFF_MAX = 3;

  private final ClientSetup<VrMessage> setup;
  private final Context<VrMessage> context;
  private final Config config;
  private final Drops drops = new Drops();
  private long requestNumber;
  private Request outstanding;
  private long view;
  private int resends;
  private int refusals;

  VrClient(ClientSetup<VrMessage> setup) {
    this.setup = setup;
    this.context = setup.context();
    this.config = setup.config();
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
    outstanding = new Request(setup.clientId(), requestNumber, op);
    resends = 0;
    context.sendToReplica((int) (view % config.n()), outstanding);
    context.setTimer(VrTimer.RESEND, setup.options().resendTimeout());
  }

  @Override
  public boolean busy() {
    return outstanding != null;
  }

  @Override
  public void onMessage(Address from, VrMessage message) {
    if (message instanceof Reply reply) {
      onReply(from, reply);
    } else {
      drops.count(NOT_FOR_CLIENT);
    }
  }

  private void onReply(Address from, Reply reply) {
    if (config.indexOf(from) < 0) {
      drops.count(NOT_FROM_REPLICA);
      return;
    }
    if (reply.clientId() != setup.clientId()) {
      drops.count(OTHER_CLIENT);
      return;
    }
    view = Math.max(view, reply.view());
    if (outstanding == null || reply.requestNumber() != outstanding.requestNumber()) {
      drops.count(NOT_OUTSTANDING);
      return;
    }
    if (reply.isRefusal()) {
      refusals++;
      send(outstanding.op(), Math.max(requestNumber + 1, reply.retryFrom()));
      return;
    }
    outstanding = null;
    context.cancelTimer(VrTimer.RESEND);
    setup.results().complete(reply.result(), Completion.normal(resends + refusals));
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != VrTimer.RESEND || outstanding == null) return;
    context.broadcast(outstanding); // the primary may have changed: every replica hears it
    resends++;
    int doublings = Math.min(resends, RESEND_BACK_OFF_MAX);
    context.setTimer(VrTimer.RESEND, setup.options().resendTimeout().multipliedBy(1L << doublings));
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
