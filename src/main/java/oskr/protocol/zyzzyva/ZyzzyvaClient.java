package oskr.protocol.zyzzyva;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Results;
import oskr.protocol.TimerKey;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Pom;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Signature;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;

/**
 * The client of SOSP'07 §3.1-3.3: sends its request to the primary; completes on 3f+1 matching
 * SPEC-RESPONSEs (fast path); on its timer, with 2f+1 to 3f matching ones, sends their commit
 * certificate as COMMIT and completes on 2f+1 matching LOCAL-COMMITs (slow path); with fewer, it
 * sends the request again to every replica. Two responses for one (v, n) with different histories
 * make a proof of misbehaviour it sends to every replica (§3.5). Responses and LOCAL-COMMITs were
 * authenticated by {@link Zyzzyva#verify} (a MAC each with {@code hmac}); matching decides the
 * rest. The signatures a response carries are checked only where a third party needs them: the
 * replicas' batch signatures when they go into a certificate, the primary's orders when they go
 * into a proof of misbehaviour; a response whose signature fails is dropped, counted, and the rest
 * go on.
 *
 * <p>The resend timeout: the configured one, doubled per resend of one request, and doubled for
 * every request (at most {@link #LOAD_DOUBLINGS_MAX} times) each time a request that had to be
 * resent to every replica then completed on the fast path (all 3f+1 answered alike: nobody was
 * faulty, only slow, and the resend made every backup relay it and start its timer against a
 * correct primary); at most {@link #BACKOFF_MAX} doublings in all, as before. {@link
 * #CALM_COMPLETIONS} completions without a resend to all take one learned doubling back. Protocol
 * code has no clock to measure latency with, and the timer is also the slow path's: a fixed large
 * timeout would slow every completion with one replica down.
 *
 * <p>Replicas learned to be silent: when the timer takes the slow path, the replicas that had not
 * answered are marked silent; any authenticated message of theirs clears the mark. While every
 * replica has answered or is marked silent, and no fast quorum matches, nothing more is coming: the
 * client builds its commit certificate at once, at most once per request, instead of waiting for
 * the timer. With one replica down, only a client's first request waits the timeout; once the
 * replica answers again, the client waits for it and the fast path returns.
 */
final class ZyzzyvaClient implements Client<ZyzzyvaMessage> {
  static final String OTHER_REQUEST = "reply to no outstanding request";
  static final String AT_CLIENT = "replica message sent to a client";
  static final String BAD_BATCH_SIGNATURE = "bad batch signature";
  static final String BAD_ORDER_SIGNATURE = "bad order signature";

  /** How many times the resend timeout doubles at most, learned and per request together. */
  static final int BACKOFF_MAX = 3;

  /** How many times the base resend timeout doubles at most under load (see the class). */
  static final int LOAD_DOUBLINGS_MAX = 2;

  /** Completions without a resend to all after which one learned doubling is taken back. */
  static final int CALM_COMPLETIONS = 32;

  private final Context<ZyzzyvaMessage> context;
  private final ClientSetup<ZyzzyvaMessage> setup;
  private final Config config;
  private final Results results;
  private final Drops drops = new Drops();
  private final int n;
  private final int f;

  /** The highest view each replica's answers named: the client sends to primary of the f+1-th. */
  private final long[] views;

  private long requestNumber;
  private Request outstanding;

  /** Whether {@link #outstanding} carries its authentication (its job has run). */
  private boolean authenticated;

  private Bytes outstandingOp;
  private int resends;
  private final SpecResponse[] responses;
  private final LocalCommit[] localCommits;
  private boolean pomSent;
  private boolean commitSent;

  /** Whether the outstanding request already went to the slow path without its timer. */
  private boolean earlyCommitTried;

  /** Replicas that did not answer when the slow path was last taken (see the class). */
  private final boolean[] silent;

  /** Whether the outstanding request went to every replica again (they suspect the primary). */
  private boolean resentToAll;

  /** Doublings of the resend timeout learned from load, and completions since the last change. */
  private int loadDoublings;

  private int calmCompletions;

  /**
   * The last commit certificate built for the outstanding request, and its result. Kept across
   * rounds of fresh responses: replicas that hold it answer a retried request with LOCAL-COMMIT,
   * not SPEC-RESPONSE, so a round may never rebuild it, and a replica that missed the COMMIT needs
   * it again.
   */
  private CommitCert certificate;

  private Bytes certificateResult;

  /** 3f+1: every replica answered alike (fewer only in a planted bug). */
  private final int fastQuorum;

  ZyzzyvaClient(ClientSetup<ZyzzyvaMessage> setup, int fastQuorum) {
    this.fastQuorum = fastQuorum;
    this.setup = setup;
    this.context = setup.context();
    this.config = setup.config();
    this.results = setup.results();
    this.n = config.n();
    this.f = config.f();
    this.views = new long[n];
    this.responses = new SpecResponse[n];
    this.localCommits = new LocalCommit[n];
    this.silent = new boolean[n];
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    requestNumber++;
    outstandingOp = op;
    resends = 0;
    pomSent = false;
    commitSent = false;
    earlyCommitTried = false;
    resentToAll = false;
    certificate = null;
    certificateResult = null;
    java.util.Arrays.fill(responses, null);
    java.util.Arrays.fill(localCommits, null);
    Request request = new Request(setup.clientId(), requestNumber, context.self(), op);
    outstanding = request;
    authenticated = false;
    context.submit(
        crypto -> Auth.authenticate(crypto, request, n),
        signed -> {
          if (outstanding == null || outstanding.requestNumber() != signed.requestNumber()) return;
          outstanding = signed;
          authenticated = true;
          context.sendToReplica(primary(), signed);
        });
    context.setTimer(ZyzzyvaTimer.RESEND, resendTimeout(0));
  }

  /** The wait after {@code sent} resends of one request: see the class comment. */
  private Duration resendTimeout(int sent) {
    int doublings = Math.min(loadDoublings + sent, BACKOFF_MAX);
    return setup.options().resendTimeout().multipliedBy(1L << doublings);
  }

  private int primary() {
    long[] sorted = views.clone();
    java.util.Arrays.sort(sorted);
    return (int) (sorted[n - 1 - f] % n);
  }

  @Override
  public boolean busy() {
    return outstanding != null;
  }

  @Override
  public void onMessage(Address from, ZyzzyvaMessage message) {
    switch (message) {
      case SpecResponse m -> onSpecResponse(m);
      case LocalCommit m -> onLocalCommit(m);
      case Request m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.OrderReq m -> drops.count(AT_CLIENT);
      case Commit m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.FillHole m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.Vote m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.Checkpoint m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.ViewChange m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.NewView m -> drops.count(AT_CLIENT);
      case Pom m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.FetchState m -> drops.count(AT_CLIENT);
      case ZyzzyvaMessage.State m -> drops.count(AT_CLIENT);
    }
  }

  private boolean isOutstanding(long clientId, long number) {
    return outstanding != null
        && clientId == setup.clientId()
        && number == outstanding.requestNumber();
  }

  private void onSpecResponse(SpecResponse response) {
    silent[response.replica()] = false;
    if (!isOutstanding(response.clientId(), response.requestNumber())) {
      drops.count(OTHER_REQUEST);
      return;
    }
    views[response.replica()] = Math.max(views[response.replica()], response.view());
    responses[response.replica()] = response;
    detectMisbehaviour(response);
    List<SpecResponse> matching = matching(response);
    if (matching.size() >= fastQuorum) {
      complete(response.result(), Completion.Path.FAST);
    } else if (!earlyCommitTried && !commitSent && noMoreResponsesExpected()) {
      List<SpecResponse> candidates = matchingQuorum();
      if (!candidates.isEmpty()) {
        earlyCommitTried = true;
        startCommit(candidates);
      }
    }
  }

  /** Every replica answered this round or is known to be silent (see the class). */
  private boolean noMoreResponsesExpected() {
    for (int replica = 0; replica < n; replica++) {
      if (responses[replica] == null && !silent[replica]) return false;
    }
    return true;
  }

  /** The responses that match {@code response} in view, sequence, history and result. */
  private List<SpecResponse> matching(SpecResponse response) {
    List<SpecResponse> matching = new ArrayList<>();
    for (SpecResponse other : responses) {
      if (other != null
          && other.view() == response.view()
          && other.seq() == response.seq()
          && other.historyDigest().equals(response.historyDigest())
          && other.result().equals(response.result())) {
        matching.add(other);
      }
    }
    return matching;
  }

  /**
   * SOSP'07 §3.5: two orders of one primary for one (v, n) with different histories. The primary's
   * two signatures are checked first: a faulty replica's response with a history of its own and a
   * signature that does not match it must not spend the proof (replicas would drop it).
   */
  private void detectMisbehaviour(SpecResponse response) {
    if (pomSent) return;
    for (SpecResponse other : responses) {
      if (other != null
          && other.view() == response.view()
          && other.seq() == response.seq()
          && !other.historyDigest().equals(response.historyDigest())
          && other.orderAuth().length() > 0
          && response.orderAuth().length() > 0) {
        pomSent = true;
        int primary = Certificates.primary(response.view(), config);
        long number = response.requestNumber();
        context.submit(
            crypto ->
                List.of(
                    orderSigned(crypto, primary, other), orderSigned(crypto, primary, response)),
            valid -> onOrdersChecked(number, other, response, valid));
        return;
      }
    }
  }

  private static boolean orderSigned(
      oskr.core.crypto.Crypto crypto, int primary, SpecResponse response) {
    return Zyzzyva.orderSigned(
        crypto,
        primary,
        response.view(),
        response.seq(),
        response.historyDigest(),
        response.orderAuth());
  }

  private void onOrdersChecked(
      long number, SpecResponse first, SpecResponse second, List<Boolean> valid) {
    if (valid.get(0) && valid.get(1)) {
      Pom pom =
          new Pom(
              second.view(),
              second.seq(),
              first.historyDigest(),
              first.orderAuth(),
              second.historyDigest(),
              second.orderAuth());
      for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, pom);
      return;
    }
    if (!valid.get(0)) discard(first, BAD_ORDER_SIGNATURE);
    if (!valid.get(1)) discard(second, BAD_ORDER_SIGNATURE);
    if (isOutstanding(setup.clientId(), number)) pomSent = false; // a true fork may follow
  }

  /** Counts a response whose signature failed, and forgets it if it is still the one we hold. */
  private void discard(SpecResponse response, String reason) {
    drops.count(reason);
    if (responses[response.replica()] == response) responses[response.replica()] = null;
  }

  private void onLocalCommit(LocalCommit commit) {
    silent[commit.replica()] = false;
    if (!isOutstanding(commit.clientId(), commit.requestNumber())) {
      drops.count(OTHER_REQUEST);
      return;
    }
    views[commit.replica()] = Math.max(views[commit.replica()], commit.view());
    localCommits[commit.replica()] = commit;
    int count = 0;
    for (LocalCommit other : localCommits) {
      if (other != null
          && other.seq() == commit.seq()
          && other.historyDigest().equals(commit.historyDigest())
          && other.result().equals(commit.result())) {
        count++;
      }
    }
    if (count >= 2 * f + 1) complete(commit.result(), Completion.Path.SLOW);
  }

  private void complete(Bytes result, Completion.Path path) {
    if (path == Completion.Path.FAST && resentToAll) {
      loadDoublings = Math.min(loadDoublings + 1, LOAD_DOUBLINGS_MAX);
      calmCompletions = 0;
    } else if (!resentToAll && ++calmCompletions >= CALM_COMPLETIONS) {
      loadDoublings = Math.max(loadDoublings - 1, 0);
      calmCompletions = 0;
    }
    outstanding = null;
    context.cancelTimer(ZyzzyvaTimer.RESEND);
    results.complete(result, new Completion(path, resends));
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != ZyzzyvaTimer.RESEND || outstanding == null) return;
    resends++;
    context.setTimer(ZyzzyvaTimer.RESEND, resendTimeout(resends));
    // Not authenticated yet (an overloaded client's job queue): replicas would only drop it.
    if (!authenticated) return;
    List<SpecResponse> candidates = matchingQuorum();
    if ((candidates.isEmpty() && certificate == null) || commitSent) {
      resendToAll();
      return;
    }
    if (candidates.isEmpty()) {
      commitSent = true;
      sendCommit();
      return;
    }
    for (int replica = 0; replica < n; replica++) silent[replica] = responses[replica] == null;
    startCommit(candidates);
  }

  /** The slow path: checks the candidates' batch signatures, then sends their certificate. */
  private void startCommit(List<SpecResponse> candidates) {
    commitSent = true;
    long number = outstanding.requestNumber();
    context.submit(
        crypto -> {
          List<Boolean> valid = new ArrayList<>(candidates.size());
          for (SpecResponse candidate : candidates) {
            valid.add(Auth.verifyBatchSignature(crypto, candidate));
          }
          return valid;
        },
        valid -> onBatchSignaturesChecked(number, candidates, valid));
  }

  /**
   * SOSP'07 §3.3: the request again, to every replica, which relay it to the primary. A certificate
   * that brought no 2f+1 LOCAL-COMMITs may be of a history a view change dropped: gather fresh
   * responses too, then send the newest certificate again.
   */
  private void resendToAll() {
    commitSent = false;
    resentToAll = true;
    java.util.Arrays.fill(responses, null);
    for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, outstanding);
  }

  /**
   * 2f+1 or more matching responses, with their batch signatures checked: the valid ones make the
   * certificate; a faulty replica's invalid one is dropped and counted, and with fewer than 2f+1
   * left the client falls back to its last certificate, or to resending the request.
   */
  private void onBatchSignaturesChecked(
      long number, List<SpecResponse> candidates, List<Boolean> valid) {
    if (outstanding == null || outstanding.requestNumber() != number) return;
    List<Signature> signatures = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      SpecResponse candidate = candidates.get(i);
      if (!valid.get(i)) {
        discard(candidate, BAD_BATCH_SIGNATURE);
      } else if (signatures.size() < 2 * f + 1) {
        signatures.add(new Signature(candidate.replica(), candidate.batchAuth()));
      }
    }
    if (signatures.size() == 2 * f + 1) {
      SpecResponse any = candidates.getFirst();
      certificate = new CommitCert(any.view(), any.seq(), any.historyDigest(), signatures);
      certificateResult = any.result();
    }
    if (certificate != null) {
      sendCommit();
    } else {
      resendToAll();
    }
  }

  private void sendCommit() {
    Commit commit =
        new Commit(
            outstanding.clientKey(),
            setup.clientId(),
            outstanding.requestNumber(),
            certificateResult,
            certificate);
    for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, commit);
  }

  /** 2f+1 or more responses that match in view, sequence, history and result, or none. */
  private List<SpecResponse> matchingQuorum() {
    for (SpecResponse response : responses) {
      if (response == null) continue;
      List<SpecResponse> matching = matching(response);
      if (matching.size() >= 2 * f + 1) return List.copyOf(matching);
    }
    return List.of();
  }

  @Override
  public Drops drops() {
    return drops;
  }

  Bytes outstandingOp() {
    return outstandingOp;
  }
}
