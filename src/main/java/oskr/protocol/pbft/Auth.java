package oskr.protocol.pbft;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Bytes;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.HmacSha256;
import oskr.core.crypto.Scheme;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * Signs and checks the canonical bytes of a message ({@code encodeSigned}). Runs on workers only:
 * in jobs the replica or client submits and in {@link Pbft#verify}.
 *
 * <p>With signatures every message is signed: requests by the client's own key (sent along),
 * everything else by the sending replica. With {@link Scheme#HMAC} (TOCS §3.2, §5) a message that
 * only its receivers must believe carries a MAC or an authenticator (one MAC per replica, under the
 * key the sender shares with that replica by ECDH): requests, replies, PRE-PREPAREs, PREPAREs,
 * COMMITs. Messages that must convince a third party stay signed (with the replicas' Ed25519
 * keys): CHECKPOINTs (their proofs travel in VIEW-CHANGE and state transfer), VIEW-CHANGEs and
 * NEW-VIEWs (so no VIEW-CHANGE-ACKs are needed).
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
   * The client's job: its public key and, with HMAC, the authenticator for {@code n} replicas, with
   * signatures its signature. A client without a key of its own sends the request unauthenticated,
   * and replicas drop it.
   */
  static Request authenticate(Crypto crypto, Request request, int n) {
    if (!crypto.hasOwnKey()) return request;
    if (crypto.scheme() != Scheme.HMAC) {
      Request keyed = request.withAuth(crypto.ownVerifyingKey(), Bytes.EMPTY);
      return keyed.withAuth(keyed.clientKey(), sign(crypto, keyed::encodeSigned));
    }
    Request keyed = request.withAuth(crypto.ownPublicKey(), Bytes.EMPTY);
    return keyed.withAuth(keyed.clientKey(), authenticator(crypto, keyed::encodeSigned, n));
  }

  /**
   * A replica's check of a request: the client's signature under the key it carries, or with HMAC
   * this replica's own entry of its authenticator.
   */
  static boolean verifyRequest(Crypto crypto, Request request, int n) {
    if (request.clientKey().length() == 0) return false;
    if (crypto.scheme() != Scheme.HMAC) {
      Writer out = crypto.scratch();
      request.encodeSigned(out);
      return crypto.verifyWithKey(
          request.clientKey(), out.buffer(), 0, out.position(), request.auth());
    }
    return verifyEntry(crypto, request.clientKey(), request::encodeSigned, request.auth(), n);
  }

  /** A backup's check of a PRE-PREPARE's batch: whether it authenticates every request. */
  static boolean verifyRequests(Crypto crypto, List<Request> batch, int n) {
    for (Request request : batch) if (!verifyRequest(crypto, request, n)) return false;
    return true;
  }

  /** The positions in {@code batch} of the requests this replica cannot authenticate. */
  static List<Integer> unverifiedRequests(Crypto crypto, List<Request> batch, int n) {
    List<Integer> unverified = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (!verifyRequest(crypto, batch.get(i), n)) unverified.add(i);
    }
    return unverified;
  }

  /**
   * A replica's job for an agreement message (PRE-PREPARE, PREPARE, COMMIT): its signature, or with
   * HMAC an authenticator for all replicas (TOCS §5: these never need to convince a third party).
   */
  static Bytes agreementAuth(Crypto crypto, Signed message) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, message);
    return authenticator(crypto, message, crypto.replicaCount());
  }

  /** Checks an agreement message from {@code sender}: its signature, or our authenticator entry. */
  static boolean verifyAgreement(Crypto crypto, int sender, Signed message, Bytes auth) {
    if (crypto.scheme() != Scheme.HMAC) return verify(crypto, sender, message, auth);
    Bytes senderKey = crypto.replicaPublicKey(sender);
    return verifyEntry(crypto, senderKey, message, auth, crypto.replicaCount());
  }

  /** TOCS §3.2: one MAC per replica, each under the key this node shares with that replica. */
  private static Bytes authenticator(Crypto crypto, Signed message, int n) {
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    byte[] authenticator = new byte[n * HmacSha256.MAC_LENGTH];
    for (int replica = 0; replica < n; replica++) {
      Bytes mac = crypto.mac(crypto.replicaPublicKey(replica), out.buffer(), 0, out.position());
      mac.copyTo(authenticator, replica * HmacSha256.MAC_LENGTH);
    }
    return Bytes.adopt(authenticator);
  }

  /** Checks this replica's entry of an authenticator made by the holder of {@code senderKey}. */
  private static boolean verifyEntry(
      Crypto crypto, Bytes senderKey, Signed message, Bytes authenticator, int n) {
    int self = crypto.ownIndex();
    if (self < 0 || authenticator.length() != n * HmacSha256.MAC_LENGTH) return false;
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    Bytes mac =
        Bytes.copyOf(
            authenticator.unsafeArray(), self * HmacSha256.MAC_LENGTH, HmacSha256.MAC_LENGTH);
    return crypto.verifyMac(senderKey, out.buffer(), 0, out.position(), mac);
  }

  /** The replica's job: a MAC for the client (HMAC) or a signature; empty if it cannot. */
  static Bytes replyAuth(Crypto crypto, Reply reply, Bytes clientKey) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, reply::encodeSigned);
    Writer out = crypto.scratch();
    reply.encodeSigned(out);
    try {
      return crypto.mac(clientKey, out.buffer(), 0, out.position());
    } catch (IllegalArgumentException e) {
      return Bytes.EMPTY; // no valid client key: the request was never authenticated
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
