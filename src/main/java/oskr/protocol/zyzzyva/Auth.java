package oskr.protocol.zyzzyva;

import oskr.core.Bytes;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.HmacSha256;
import oskr.core.crypto.Scheme;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;

/**
 * Signs and checks canonical bytes. Runs on workers only: in jobs and in {@link Zyzzyva#verify}.
 *
 * <p>Under a signature scheme every message is signed: requests by the client's own key (sent
 * along), everything else by the sending replica. Under {@link Scheme#HMAC} the messages that only
 * their receivers must believe carry MACs: a request an authenticator (one MAC per replica), a
 * LOCAL-COMMIT a MAC for its client. Every other replica message must convince a third party and
 * stays signed (with the replicas' Ed25519 keys): ORDER-REQs (their signatures travel in
 * SPEC-RESPONSEs into proofs of misbehaviour), SPEC-RESPONSEs and VOTEs (they make commit
 * certificates), CHECKPOINTs (stable-checkpoint proofs), VIEW-CHANGEs and NEW-VIEWs.
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

  static boolean verify(Crypto crypto, int replica, Signed message, Bytes auth) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    return crypto.verify(replica, out.buffer(), 0, out.position(), auth);
  }

  /**
   * The client's job: its public key and its signature, or with HMAC its authenticator for {@code
   * n} replicas. A client without a key sends the request unauthenticated, and replicas drop it.
   */
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

  /** A replica's check of a request: the client's signature, or its own authenticator entry. */
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

  /** The replica's job for a LOCAL-COMMIT: a MAC for the client (HMAC) or a signature. */
  static Bytes localCommitAuth(Crypto crypto, LocalCommit message, Bytes clientKey) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, message::encodeSigned);
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    try {
      return crypto.mac(clientKey, out.buffer(), 0, out.position());
    } catch (IllegalArgumentException e) {
      return Bytes.EMPTY; // no valid client key: the request was never authenticated
    }
  }

  static boolean verifyLocalCommit(Crypto crypto, LocalCommit message) {
    if (crypto.scheme() != Scheme.HMAC) {
      return verify(crypto, message.replica(), message::encodeSigned, message.auth());
    }
    if (!crypto.hasOwnKey()) return false;
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    Bytes replicaKey = crypto.replicaPublicKey(message.replica());
    return crypto.verifyMac(replicaKey, out.buffer(), 0, out.position(), message.auth());
  }
}
