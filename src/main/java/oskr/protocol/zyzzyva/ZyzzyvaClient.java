package oskr.protocol.zyzzyva;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
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
 * authenticated by {@link Zyzzyva#verify}; matching decides the rest.
 */
final class ZyzzyvaClient implements Client<ZyzzyvaMessage> {
  static final String OTHER_REQUEST = "reply to no outstanding request";
  static final String AT_CLIENT = "replica message sent to a client";

  /** How many times the resend timeout doubles at most. */
  static final int BACKOFF_MAX = 3;

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
  private Bytes outstandingOp;
  private int resends;
  private final SpecResponse[] responses;
  private final LocalCommit[] localCommits;
  private boolean pomSent;
  private boolean commitSent;

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
  }

  @Override
  public void invoke(Bytes op) {
    if (outstanding != null) throw new IllegalStateException("an operation is outstanding");
    requestNumber++;
    outstandingOp = op;
    resends = 0;
    pomSent = false;
    commitSent = false;
    certificate = null;
    certificateResult = null;
    java.util.Arrays.fill(responses, null);
    java.util.Arrays.fill(localCommits, null);
    Request request = new Request(setup.clientId(), requestNumber, context.self(), op);
    outstanding = request;
    context.submit(
        crypto -> Auth.authenticate(crypto, request, n),
        signed -> {
          if (outstanding == null || outstanding.requestNumber() != signed.requestNumber()) return;
          outstanding = signed;
          context.sendToReplica(primary(), signed);
        });
    context.setTimer(ZyzzyvaTimer.RESEND, setup.options().resendTimeout());
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
    if (!isOutstanding(response.clientId(), response.requestNumber())) {
      drops.count(OTHER_REQUEST);
      return;
    }
    views[response.replica()] = Math.max(views[response.replica()], response.view());
    responses[response.replica()] = response;
    detectMisbehaviour(response);
    List<SpecResponse> matching = matching(response);
    if (matching.size() >= fastQuorum) complete(response.result(), Completion.Path.FAST);
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

  /** SOSP'07 §3.5: two orders of one primary for one (v, n) with different histories. */
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
        Pom pom =
            new Pom(
                response.view(),
                response.seq(),
                other.historyDigest(),
                other.orderAuth(),
                response.historyDigest(),
                response.orderAuth());
        for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, pom);
        return;
      }
    }
  }

  private void onLocalCommit(LocalCommit commit) {
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
    outstanding = null;
    context.cancelTimer(ZyzzyvaTimer.RESEND);
    results.complete(result, new Completion(path, resends));
  }

  @Override
  public void onTimer(TimerKey key) {
    if (key != ZyzzyvaTimer.RESEND || outstanding == null) return;
    resends++;
    CommitCert fresh = commitCertificate();
    if (fresh != null) {
      certificate = fresh;
      certificateResult = responseFor(fresh).result();
    }
    if (certificate != null && !commitSent) {
      commitSent = true;
      Commit commit =
          new Commit(
              outstanding.clientKey(),
              setup.clientId(),
              outstanding.requestNumber(),
              certificateResult,
              certificate);
      for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, commit);
    } else {
      // SOSP'07 §3.3: the request again, to every replica, which relay it to the primary.
      // A certificate that brought no 2f+1 LOCAL-COMMITs may be of a history a view change
      // dropped: gather fresh responses too, then send the newest certificate again.
      commitSent = false;
      java.util.Arrays.fill(responses, null);
      for (int replica = 0; replica < n; replica++) context.sendToReplica(replica, outstanding);
    }
    int doublings = Math.min(resends, BACKOFF_MAX);
    Duration wait = setup.options().resendTimeout().multipliedBy(1L << doublings);
    context.setTimer(ZyzzyvaTimer.RESEND, wait);
  }

  /** 2f+1 matching responses as a commit certificate, or null. */
  private CommitCert commitCertificate() {
    for (SpecResponse response : responses) {
      if (response == null) continue;
      List<SpecResponse> matching = matching(response);
      if (matching.size() < 2 * f + 1) continue;
      List<Signature> signatures = new ArrayList<>();
      for (SpecResponse match : matching) {
        signatures.add(new Signature(match.replica(), match.auth()));
      }
      Digest extra = extraOf(response);
      return new CommitCert(
          response.view(), response.seq(), response.historyDigest(), extra, signatures);
    }
    return null;
  }

  private SpecResponse responseFor(CommitCert cert) {
    for (SpecResponse response : responses) {
      if (response != null
          && response.seq() == cert.seq()
          && response.historyDigest().equals(cert.historyDigest())) {
        return response;
      }
    }
    throw new IllegalStateException("a certificate without its responses");
  }

  private static Digest extraOf(SpecResponse response) {
    return Codecs.responseDigest(
        response.clientId(),
        response.requestNumber(),
        response.result(),
        new oskr.core.crypto.Sha256());
  }

  @Override
  public Drops drops() {
    return drops;
  }

  Bytes outstandingOp() {
    return outstandingOp;
  }
}
