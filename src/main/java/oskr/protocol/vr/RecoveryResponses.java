package oskr.protocol.vr;

import java.util.Arrays;
import java.util.Optional;
import oskr.protocol.vr.VrMessage.RecoveryResponse;

/**
 * A recovering replica's side of the recovery protocol (VR §4.3): its nonce and, per replica, the
 * latest RECOVERY-RESPONSE carrying that nonce. Recovery completes once f+1 other replicas answered
 * and among them the primary of the latest view any of them reports, from that view.
 */
final class RecoveryResponses {
  private final int n;
  private final int f;
  private final int self;
  private final RecoveryResponse[] responses;
  private boolean active;
  private long nonce;

  RecoveryResponses(int n, int f, int self) {
    this.n = n;
    this.f = f;
    this.self = self;
    this.responses = new RecoveryResponse[n];
  }

  void begin(long recoveryNonce) {
    active = true;
    nonce = recoveryNonce;
    Arrays.fill(responses, null);
  }

  boolean active() {
    return active;
  }

  long nonce() {
    assert active : "no recovery in progress";
    return nonce;
  }

  /**
   * Records a response with our nonce (the caller checked it); the primary's response once the
   * responses suffice.
   */
  Optional<RecoveryResponse> add(RecoveryResponse m) {
    assert active && m.nonce() == nonce : "a response to another recovery";
    assert m.replica() != self : "a response from ourselves";
    RecoveryResponse known = responses[m.replica()];
    if (known == null || known.view() <= m.view()) responses[m.replica()] = m;
    int count = 0;
    long latestView = -1;
    for (RecoveryResponse response : responses) {
      if (response == null) continue;
      count++;
      latestView = Math.max(latestView, response.view());
    }
    if (count < f + 1) return Optional.empty();
    RecoveryResponse primary = responses[(int) (latestView % n)];
    if (primary == null || primary.view() != latestView || !primary.fromPrimary()) {
      return Optional.empty();
    }
    return Optional.of(primary);
  }

  void finished() {
    active = false;
    Arrays.fill(responses, null);
  }
}
