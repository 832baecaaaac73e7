package oskr.protocol.zyzzyva;

import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;

/**
 * Signs and checks canonical bytes. Runs on workers only: in jobs and in {@link Zyzzyva#verify}.
 *
 * <p>Under a signature scheme every message is signed: requests by the client's own key (sent
 * along), everything else by the sending replica. Under {@link Scheme#HMAC} the messages that only
 * their receivers must believe carry MACs: a request an authenticator (one MAC per replica), a
 * SPEC-RESPONSE and a LOCAL-COMMIT a MAC for their client. What must convince a third party is
 * signed with the replicas' Ed25519 keys: ORDER-REQs (their signatures travel in SPEC-RESPONSEs
 * into proofs of misbehaviour), the batch statement (v, n, h_n) a SPEC-RESPONSE carries and VOTEs
 * (they make commit certificates), CHECKPOINTs, VIEW-CHANGEs and NEW-VIEWs. See {@code
 * package-info.java} for why a SPEC-RESPONSE carries what it does.
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
    return keyed.withAuth(
        keyed.clientKey(), crypto.authenticator(n, out.buffer(), 0, out.position()));
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
    return crypto.verifyAuthenticatorEntry(
        request.clientKey(), n, out.buffer(), 0, out.position(), request.auth());
  }

  /**
   * The primary's job for an ORDER-REQ: its signature on (v, n, h_n), and with HMAC also an
   * authenticator over it for every replica, which they check instead (see {@link OrderReq}).
   */
  static OrderReq authenticateOrder(Crypto crypto, OrderReq order) {
    Writer out = crypto.scratch();
    order.encodeSigned(out);
    Bytes signature = crypto.sign(out.buffer(), 0, out.position());
    if (crypto.scheme() != Scheme.HMAC) return order.withAuth(signature, Bytes.EMPTY);
    Bytes macs = crypto.authenticator(crypto.replicaCount(), out.buffer(), 0, out.position());
    return order.withAuth(signature, macs);
  }

  /** Whether this replica's entry of {@code order}'s authenticator is {@code primary}'s MAC. */
  static boolean verifyOrderMac(Crypto crypto, int primary, int n, OrderReq order) {
    if (crypto.scheme() != Scheme.HMAC || order.macs().length() == 0) return false;
    Writer out = crypto.scratch();
    order.encodeSigned(out);
    return crypto.verifyAuthenticatorEntry(
        crypto.replicaPublicKey(primary), n, out.buffer(), 0, out.position(), order.macs());
  }

  /**
   * A replica's batch signature: its vote statement (v, n, h_n), signed once per ORDER-REQ and
   * carried by every SPEC-RESPONSE of the batch.
   */
  static Bytes batchSignature(Crypto crypto, long view, long seq, Digest historyDigest) {
    return sign(crypto, out -> Codecs.voteStatement(out, view, seq, historyDigest));
  }

  /** Whether {@code response}'s batch signature is its replica's, for its (v, n, h_n). */
  static boolean verifyBatchSignature(Crypto crypto, SpecResponse response) {
    return verify(
        crypto,
        response.replica(),
        out -> Codecs.voteStatement(out, response.view(), response.seq(), response.historyDigest()),
        response.batchAuth());
  }

  /** The replica's job for a SPEC-RESPONSE: a MAC for the client (HMAC) or a signature. */
  static Bytes responseAuth(Crypto crypto, SpecResponse message, Bytes clientKey) {
    return forClient(crypto, message::encodeSigned, clientKey);
  }

  /** The client's check of a SPEC-RESPONSE's {@code auth} (not of its two signatures). */
  static boolean verifyResponse(Crypto crypto, SpecResponse message) {
    return verifyForClient(crypto, message.replica(), message::encodeSigned, message.auth());
  }

  /** The replica's job for a LOCAL-COMMIT: a MAC for the client (HMAC) or a signature. */
  static Bytes localCommitAuth(Crypto crypto, LocalCommit message, Bytes clientKey) {
    return forClient(crypto, message::encodeSigned, clientKey);
  }

  static boolean verifyLocalCommit(Crypto crypto, LocalCommit message) {
    return verifyForClient(crypto, message.replica(), message::encodeSigned, message.auth());
  }

  /** A replica's message for one client: a MAC with the client's key (HMAC), else signed. */
  private static Bytes forClient(Crypto crypto, Signed message, Bytes clientKey) {
    if (crypto.scheme() != Scheme.HMAC) return sign(crypto, message);
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    try {
      return crypto.mac(clientKey, out.buffer(), 0, out.position());
    } catch (IllegalArgumentException e) {
      return Bytes.EMPTY; // no valid client key: the request was never authenticated
    }
  }

  private static boolean verifyForClient(Crypto crypto, int replica, Signed message, Bytes auth) {
    if (crypto.scheme() != Scheme.HMAC) return verify(crypto, replica, message, auth);
    if (!crypto.hasOwnKey()) return false;
    Writer out = crypto.scratch();
    message.encodeSigned(out);
    Bytes replicaKey = crypto.replicaPublicKey(replica);
    return crypto.verifyMac(replicaKey, out.buffer(), 0, out.position(), auth);
  }
}
