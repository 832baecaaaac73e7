package oskr.protocol.hotstuff;

import oskr.core.Bytes;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.HmacSha256;
import oskr.core.crypto.Scheme;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;

/**
 * Signs and checks canonical bytes ({@code encodeSigned}). Runs on workers only: in jobs and in
 * {@link HotStuff#verify}.
 *
 * <p>Votes and NEW-VIEWs are always signed: with {@code secp256k1} or {@code ed25519} in the run's
 * scheme, with {@code hmac} by Ed25519, because votes make QCs that must convince third parties.
 * Proposals are signed too, except with {@code hmac}: there the leader MACs them for each replica
 * (an authenticator, keys agreed by ECDH), since no third party ever checks a proposal's
 * authenticator: a block fetched from another replica is trusted through its digest, which a
 * verified QC or a child's parent link certifies, never through its proposal. Requests are signed
 * by the client's own key, or with {@code hmac} carry an authenticator (one MAC per replica);
 * replies are signed, or MACed for the client.
 */
final class Auth {
  private Auth() {}

  /** Writes the bytes a signature covers. */
  @FunctionalInterface
  interface Signed {
    void encodeSigned(Writer out);
  }

  static Bytes sign(Crypto crypto, Signed message) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    return crypto.sign(out.buffer(), 0, out.position());
  }

  static boolean verify(Crypto crypto, int replica, Signed message, Bytes signature) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    return crypto.verify(replica, out.buffer(), 0, out.position(), signature);
  }

  /** The leader's job: its signature, or with HMAC an authenticator of one MAC per replica. */
  static Bytes authenticateProposal(Crypto crypto, Proposal unsigned, int n) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, unsigned::encodeSigned);
    Writer out = crypto.scratch();
    unsigned.encodeSigned(out);
    byte[] authenticator = new byte[n * HmacSha256.MAC_LENGTH];
    for (int replica = 0; replica < n; replica++) {
      Bytes mac = crypto.mac(crypto.replicaPublicKey(replica), out.buffer(), 0, out.position());
      mac.copyTo(authenticator, replica * HmacSha256.MAC_LENGTH);
    }
    return Bytes.adopt(authenticator);
  }

  /** A replica's check of a proposal from {@code leader}: its signature, or this replica's MAC. */
  static boolean verifyProposal(Crypto crypto, int leader, Proposal proposal, int n) {
    if (crypto.scheme() != Scheme.HMAC) {
      return verify(crypto, leader, proposal::encodeSigned, proposal.signature());
    }
    int self = crypto.ownIndex();
    Bytes authenticator = proposal.signature();
    if (self < 0 || self >= n || authenticator.length() != n * HmacSha256.MAC_LENGTH) return false;
    Writer out = crypto.scratch();
    proposal.encodeSigned(out);
    Bytes mac =
        Bytes.copyOf(
            authenticator.unsafeArray(), self * HmacSha256.MAC_LENGTH, HmacSha256.MAC_LENGTH);
    return crypto.verifyMac(crypto.replicaPublicKey(leader), out.buffer(), 0, out.position(), mac);
  }

  /** The client's job: its key and signature, or with HMAC its authenticator for n replicas. */
  static Request authenticate(Crypto crypto, Request request, int n) {
    if (!crypto.hasOwnKey()) return request;
    if (crypto.scheme() != Scheme.HMAC) {
      Request keyed = request.withAuth(crypto.ownVerifyingKey(), Bytes.EMPTY);
      return keyed.withAuth(keyed.clientKey(), sign(crypto, keyed::encodeSigned));
    }
    Request keyed = request.withAuth(crypto.ownPublicKey(), Bytes.EMPTY);
    Writer out = crypto.scratch();
    keyed.encodeSigned(out);
    byte[] authenticator = new byte[n * HmacSha256.MAC_LENGTH];
    for (int replica = 0; replica < n; replica++) {
      Bytes mac = crypto.mac(crypto.replicaPublicKey(replica), out.buffer(), 0, out.position());
      mac.copyTo(authenticator, replica * HmacSha256.MAC_LENGTH);
    }
    return keyed.withAuth(keyed.clientKey(), Bytes.adopt(authenticator));
  }

  /**
   * A replica's check of a request from its client: the signature under the key it carries, or with
   * HMAC this replica's entry of its authenticator.
   */
  static boolean verifyRequest(Crypto crypto, Request request, int n) {
    if (request.clientKey().length() == 0) return false;
    Writer out = crypto.scratch();
    request.encodeSigned(out);
    if (crypto.scheme() != Scheme.HMAC) {
      return crypto.verifyWithKey(
          request.clientKey(), out.buffer(), 0, out.position(), request.auth());
    }
    int self = crypto.ownIndex();
    Bytes authenticator = request.auth();
    if (self < 0 || authenticator.length() != n * HmacSha256.MAC_LENGTH) return false;
    Bytes mac =
        Bytes.copyOf(
            authenticator.unsafeArray(), self * HmacSha256.MAC_LENGTH, HmacSha256.MAC_LENGTH);
    return crypto.verifyMac(request.clientKey(), out.buffer(), 0, out.position(), mac);
  }

  /** The replica's job: a signature, or with HMAC a MAC for the client; empty if it cannot. */
  static Bytes replyAuth(Crypto crypto, Reply reply, Bytes clientKey) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, reply::encodeSigned);
    Writer out = crypto.scratch();
    reply.encodeSigned(out);
    try {
      return crypto.mac(clientKey, out.buffer(), 0, out.position());
    } catch (IllegalArgumentException e) {
      return Bytes.EMPTY; // not a secp256k1 key: the request was never authenticated
    }
  }

  static boolean verifyReply(Crypto crypto, Reply reply) {
    if (crypto.scheme() != Scheme.HMAC) {
      return verify(crypto, reply.replica(), reply::encodeSigned, reply.auth());
    }
    if (!crypto.hasOwnKey()) return false;
    Writer out = crypto.scratch();
    reply.encodeSigned(out);
    Bytes replicaKey = crypto.replicaPublicKey(reply.replica());
    return crypto.verifyMac(replicaKey, out.buffer(), 0, out.position(), reply.auth());
  }
}
