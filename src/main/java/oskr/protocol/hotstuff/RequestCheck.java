package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import oskr.core.Digest;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * The requests inside a proposal, checked before the replica inserts or votes for its block. A
 * request the replica holds in its mempool exactly as proposed (authentication included) was
 * verified when it arrived from its client; the others are verified in one job on a worker: the
 * client's signature, or with HMAC this replica's MAC of the client's authenticator, so a leader
 * cannot order a request its client never sent. Usually every request arrived first, and a proposal
 * of 100 requests costs no request verification at all (it cost 100 in {@link HotStuff#verify}
 * before).
 */
final class RequestCheck {
  static final String BUSY = "proposal not checked: too many request checks in flight";
  static final String CHECKING = "proposal already in a request check";

  /** Proposals whose requests jobs check at once: one per view in the normal case. */
  static final int IN_FLIGHT_MAX = 16;

  private final Set<Digest> inFlight = new HashSet<>();
  private final Context<HotStuffMessage> context;
  private final Execution execution;
  private final Drops drops;
  private final int n;

  RequestCheck(Context<HotStuffMessage> context, Execution execution, Drops drops, int n) {
    this.context = context;
    this.execution = execution;
    this.drops = drops;
    this.n = n;
  }

  /**
   * Whether every request of {@code proposal} is verified here already. If not, a job verifies the
   * others and, if all are authentic, hands the proposal to {@code verified} on the protocol thread
   * (a forged one drops it, counted).
   */
  boolean verified(Proposal proposal, Consumer<Proposal> verified) {
    List<Request> unchecked = new ArrayList<>();
    for (Request request : proposal.block().batch()) {
      if (!execution.holds(request)) unchecked.add(request);
    }
    if (unchecked.isEmpty()) return true;
    Digest digest = proposal.digest();
    if (inFlight.contains(digest)) {
      drops.count(CHECKING);
      return false;
    }
    if (inFlight.size() >= IN_FLIGHT_MAX) {
      drops.count(BUSY);
      return false;
    }
    inFlight.add(digest);
    int replicas = n;
    context.submit(
        crypto -> {
          for (Request request : unchecked) {
            if (!Auth.verifyRequest(crypto, request, replicas)) return Boolean.FALSE;
          }
          return Boolean.TRUE;
        },
        authentic -> {
          inFlight.remove(digest);
          if (authentic) {
            verified.accept(proposal);
          } else {
            drops.count(HotStuff.BAD_AUTHENTICATOR);
          }
        });
    return false;
  }
}
