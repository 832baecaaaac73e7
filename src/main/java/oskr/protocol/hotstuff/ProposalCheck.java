package oskr.protocol.hotstuff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * What {@link HotStuff#verify} leaves of a proposal to the replica, checked before the replica acts
 * on it (waits for its parent, inserts, votes): the justify QC and the requests inside.
 *
 * <p>QC, at a recipient of its votes only (elsewhere {@link HotStuff#verify} checked it): n-f
 * distinct members' vote signatures on (view, block); the ones this replica verified itself as a
 * vote recipient ({@link VerifiedVotes}) are not verified again. In the normal case the second vote
 * recipient of a view finds the whole QC there, and votes at once.
 *
 * <p>Requests: one the replica holds in its mempool exactly as proposed (authentication included)
 * was verified when it arrived from its client; the others are verified: the client's signature, or
 * with HMAC this replica's MAC of the client's authenticator, so a leader cannot order a request
 * its client never sent. Usually every request arrived first, and a proposal of 100 requests costs
 * no request verification at all.
 *
 * <p>Whatever needs verifying is verified in one job on a worker.
 */
final class ProposalCheck {
  static final String BUSY = "proposal not checked: too many checks in flight";
  static final String CHECKING = "proposal already in a check";

  /** Proposals that jobs check at once: one per view in the normal case. */
  static final int IN_FLIGHT_MAX = 16;

  private final Set<Digest> inFlight = new HashSet<>();
  private final Context<HotStuffMessage> context;
  private final Execution execution;
  private final VerifiedVotes verifiedVotes;
  private final Drops drops;
  private final Config config;
  private final int self;

  ProposalCheck(
      Context<HotStuffMessage> context,
      Execution execution,
      VerifiedVotes verifiedVotes,
      Drops drops,
      Config config,
      int self) {
    this.context = context;
    this.execution = execution;
    this.verifiedVotes = verifiedVotes;
    this.drops = drops;
    this.config = config;
    this.self = self;
  }

  /**
   * Whether {@code proposal}'s QC and requests are verified here already. If not, a job verifies
   * the rest and, if all is authentic, hands the proposal to {@code verified} on the protocol
   * thread (a forgery drops it, counted).
   */
  boolean verified(Proposal proposal, Consumer<Proposal> verified) {
    QuorumCert qc = proposal.block().justify();
    if (!qc.isGenesis() && qc.signatures().size() < HotStuff.quorum(config)) {
      drops.count(HotStuff.BAD_QC);
      return false;
    }
    List<QuorumCert.Signature> signatures =
        HotStuff.qcCheckedByReplica(qc, self, config) ? verifiedVotes.unverified(qc) : List.of();
    List<Request> unchecked = new ArrayList<>();
    for (Request request : proposal.block().batch()) {
      if (!execution.holds(request)) unchecked.add(request);
    }
    if (unchecked.isEmpty() && signatures.isEmpty()) return true;
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
    int replicas = config.n();
    context.submit(
        crypto -> {
          if (!signatures.isEmpty()) {
            Writer out = crypto.scratch();
            QuorumCert.encodeVote(out, qc.view(), qc.block());
            byte[] signed = out.toArray();
            for (QuorumCert.Signature signature : signatures) {
              if (signature.replica() >= replicas
                  || !crypto.verify(
                      signature.replica(), signed, 0, signed.length, signature.signature())) {
                return HotStuff.BAD_QC;
              }
            }
          }
          for (Request request : unchecked) {
            if (!Auth.verifyRequest(crypto, request, replicas)) return HotStuff.BAD_AUTHENTICATOR;
          }
          return "";
        },
        refusal -> {
          inFlight.remove(digest);
          if (refusal.isEmpty()) {
            if (!qc.isGenesis()) verifiedVotes.remember(qc);
            verified.accept(proposal);
          } else {
            drops.count(refusal);
          }
        });
    return false;
  }
}
