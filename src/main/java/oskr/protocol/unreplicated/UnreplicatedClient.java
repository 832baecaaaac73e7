package oskr.protocol.unreplicated;

import oskr.core.Address;
import oskr.core.Bytes;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Results;
import oskr.protocol.TimerKey;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

/**
 * One request outstanding; resends it on timeout; accepts only the server's reply to that very
 * request (its signature was checked by {@link Unreplicated#verify} before it got here). A refusal
 * (see {@link oskr.protocol.ClientTable}) means the request never executes: the client sends the
 * operation again under the request number the server named.
 */
final class UnreplicatedClient implements Client<UnreplicatedMessage> {
  static final String NOT_FROM_SERVER = "reply not from the server";
  static final String OTHER_CLIENT = "reply for another client";
  static final String NOT_OUTSTANDING = "reply to no outstanding request";
  static final String REQUEST_AT_CLIENT = "request sent to a client";

  private enum Timer implements TimerKey {
    RESEND
  }

  private final Context<UnreplicatedMessage> context;
  private final ClientSetup<UnreplicatedMessage> setup;
  private final Address server;
  private final Results results;
  private final Drops drops = new Drops();
  private long requestNumber;
  private Request outstanding;
  private int resends;

  UnreplicatedClient(ClientSetup<UnreplicatedMessage> setup) {
    this.setup = setup;
    this.context = setup.context();
    this.server = setup.config().replica(0);
    this.results = setup.results();
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    send(op, requestNumber + 1);
  }

  private void send(Bytes op, long number) {
    assert number > requestNumber : "request numbers only grow";
    requestNumber = number;
    outstanding = new Request(setup.clientId(), requestNumber, op);
    resends = 0;
    context.send(server, outstanding);
    context.setTimer(Timer.RESEND, setup.options().resendTimeout());
  }

  @Override
  public boolean busy() {
    return outstanding != null;
  }

  @Override
  public void onMessage(Address from, UnreplicatedMessage message) {
    switch (message) {
      case Reply m -> onReply(from, m);
      case Request m -> drops.count(REQUEST_AT_CLIENT);
    }
  }

  private void onReply(Address from, Reply reply) {
    if (!from.equals(server)) {
      drops.count(NOT_FROM_SERVER);
      return;
    }
    if (reply.clientId() != setup.clientId()) {
      drops.count(OTHER_CLIENT);
      return;
    }
    if (outstanding == null || reply.requestNumber() != outstanding.requestNumber()) {
      drops.count(NOT_OUTSTANDING);
      return;
    }
    if (reply.isRefusal()) {
      send(outstanding.op(), Math.max(requestNumber + 1, reply.retryFrom()));
      return;
    }
    outstanding = null;
    context.cancelTimer(Timer.RESEND);
    results.complete(reply.result(), Completion.normal(resends));
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != Timer.RESEND || outstanding == null) return;
    resends++;
    context.send(server, outstanding);
    context.setTimer(Timer.RESEND, setup.options().resendTimeout());
  }

  @Override
  public Drops drops() {
    return drops;
  }
}
