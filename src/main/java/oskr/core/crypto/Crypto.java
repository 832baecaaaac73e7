package oskr.core.crypto;

import java.util.LinkedHashMap;
import java.util.Map;
import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * One thread's crypto toolbox: this node's signer, a verifier per replica, SHA-256 and a scratch
 * writer for encoding what is signed. Thread-confined: the stage gives each worker its own, the
 * simulator one for all nodes. Verifiers are made on first use.
 *
 * <p>MACs ({@link Scheme#HMAC}): the HMAC key shared with a peer is agreed by ECDH between this
 * node's secp256k1 key and the peer's public key, then cached (bounded, least recently used first
 * out), so the point multiplication happens once per peer and thread.
 */
public final class Crypto {
  private final Keyring keyring;
  private final Signer signer;
  private final Verifier[] verifiers;
  private final Sha256 sha256 = new Sha256();
  private final Writer scratch = new Writer(1024);
  private final int ownIndex;
  private final Bytes ownPublicKey;
  private final Map<Bytes, HmacSha256> sessions;
  private final Bytes[] replicaPublicKeys;
  private final Bytes ownVerifyingKey;
  private final Map<Bytes, Verifier> keyVerifiers = lruMap();
  private final Bytes[] replicaVerifyingKeys;

  /** Shared with the other nodes of a simulation; null elsewhere. */
  private final VerifyMemo memo;

  /** Session keys one thread caches; past it the least recently used is forgotten. */
  public static final int SESSIONS_MAX = 4096;

  public Crypto(Keyring keyring) {
    this(keyring, null);
  }

  /**
   * A toolbox whose signature checks go through {@code memo}, shared with the other nodes of the
   * same simulation (null: none).
   */
  public Crypto(Keyring keyring, VerifyMemo memo) {
    this.keyring = keyring;
    this.memo = memo;
    this.signer = keyring.own().map(key -> key.signer(keyring.scheme())).orElse(null);
    this.verifiers = new Verifier[keyring.replicas().size()];
    PublicKeys own = keyring.own().map(SigningKey::publicKeys).orElse(null);
    this.ownIndex = own == null ? -1 : keyring.replicas().indexOf(own);
    this.ownPublicKey = own == null ? Bytes.EMPTY : Bytes.adopt(own.secp256k1());
    this.ownVerifyingKey =
        own == null
            ? Bytes.EMPTY
            : Bytes.adopt(keyring.scheme() == Scheme.SECP256K1 ? own.secp256k1() : own.ed25519());
    this.replicaPublicKeys = new Bytes[keyring.replicas().size()];
    this.replicaVerifyingKeys = new Bytes[keyring.replicas().size()];
    for (int i = 0; i < replicaPublicKeys.length; i++) {
      PublicKeys keys = keyring.replicas().get(i);
      replicaPublicKeys[i] = Bytes.adopt(keys.secp256k1());
      replicaVerifyingKeys[i] =
          Bytes.adopt(keyring.scheme() == Scheme.SECP256K1 ? keys.secp256k1() : keys.ed25519());
    }
    this.sessions = lruMap();
  }

  /** A map that forgets its least recently used entry past {@link #SESSIONS_MAX}. */
  private static <V> Map<Bytes, V> lruMap() {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Bytes, V> eldest) {
        return size() > SESSIONS_MAX;
      }
    };
  }

  /** This node's index among the replicas, or -1 (a client, or a key not in the config). */
  public int ownIndex() {
    return ownIndex;
  }

  public boolean hasOwnKey() {
    return keyring.own().isPresent();
  }

  /** This node's compressed secp256k1 public key (33 bytes). */
  public Bytes ownPublicKey() {
    if (!hasOwnKey()) throw new IllegalStateException("this node has no key");
    return ownPublicKey;
  }

  /**
   * The public key that verifies this node's signatures in the run's scheme: Ed25519 (32 bytes) for
   * {@code ed25519} and {@code hmac}, compressed secp256k1 (33 bytes) for {@code secp256k1}.
   */
  public Bytes ownVerifyingKey() {
    if (!hasOwnKey()) throw new IllegalStateException("this node has no key");
    return ownVerifyingKey;
  }

  /**
   * Whether {@code signature} over the range verifies under {@code publicKey} in the run's scheme
   * (a key that is not one of the scheme verifies nothing). Verifiers are cached like sessions.
   */
  public boolean verifyWithKey(
      Bytes publicKey, byte[] data, int offset, int length, Bytes signature) {
    Verifier verifier = keyVerifiers.get(publicKey);
    if (verifier == null) {
      try {
        verifier =
            keyring.scheme() == Scheme.SECP256K1
                ? new Secp256k1.Verify(publicKey.unsafeArray())
                : new Ed25519.Verify(publicKey.unsafeArray());
      } catch (RuntimeException e) {
        return false; // not a point on the curve, or of the wrong length
      }
      keyVerifiers.put(publicKey, verifier);
    }
    if (memo != null) {
      return memo.verify(keyring.scheme(), publicKey, verifier, data, offset, length, signature);
    }
    return verifier.verify(data, offset, length, signature);
  }

  /** The number of replicas in the keyring. */
  public int replicaCount() {
    return replicaPublicKeys.length;
  }

  /** Replica {@code replica}'s compressed secp256k1 public key, the peer key of its MACs. */
  public Bytes replicaPublicKey(int replica) {
    return replicaPublicKeys[replica];
  }

  /**
   * HMAC-SHA256 of the range under the key shared with {@code peerPublicKey}.
   *
   * @throws IllegalArgumentException if the peer key is not a secp256k1 point
   * @throws IllegalStateException if this node has no key
   */
  public Bytes mac(Bytes peerPublicKey, byte[] data, int offset, int length) {
    return session(peerPublicKey).sign(data, offset, length);
  }

  /** Whether {@code mac} is the MAC of the range under the key shared with the peer. */
  public boolean verifyMac(Bytes peerPublicKey, byte[] data, int offset, int length, Bytes mac) {
    HmacSha256 session;
    try {
      session = session(peerPublicKey);
    } catch (IllegalArgumentException e) {
      return false; // not a point on the curve: nothing can authenticate with it
    }
    return session.verify(data, offset, length, mac);
  }

  /**
   * A MAC authenticator (PBFT, Castro and Liskov TOCS §3.2): for each replica 0 to {@code n - 1},
   * the MAC of the range under the key shared with it, concatenated in replica order.
   */
  public Bytes authenticator(int n, byte[] data, int offset, int length) {
    byte[] authenticator = new byte[n * HmacSha256.MAC_LENGTH];
    for (int replica = 0; replica < n; replica++) {
      mac(replicaPublicKey(replica), data, offset, length)
          .copyTo(authenticator, replica * HmacSha256.MAC_LENGTH);
    }
    return Bytes.adopt(authenticator);
  }

  /**
   * Whether this replica's entry of an authenticator for {@code n} replicas, made by the node with
   * {@code peerPublicKey}, is the MAC of the range.
   */
  public boolean verifyAuthenticatorEntry(
      Bytes peerPublicKey, int n, byte[] data, int offset, int length, Bytes authenticator) {
    int self = ownIndex();
    if (self < 0 || self >= n || authenticator.length() != n * HmacSha256.MAC_LENGTH) return false;
    Bytes mac =
        Bytes.copyOf(
            authenticator.unsafeArray(), self * HmacSha256.MAC_LENGTH, HmacSha256.MAC_LENGTH);
    return verifyMac(peerPublicKey, data, offset, length, mac);
  }

  private HmacSha256 session(Bytes peerPublicKey) {
    HmacSha256 session = sessions.get(peerPublicKey);
    if (session == null) {
      SigningKey own = keyring.own().orElseThrow(() -> new IllegalStateException("no own key"));
      session = new HmacSha256(own.sharedKey(peerPublicKey.unsafeArray()));
      sessions.put(peerPublicKey, session);
    }
    return session;
  }

  public Scheme scheme() {
    return keyring.scheme();
  }

  /** Signs with this replica's key. */
  public Bytes sign(byte[] data, int offset, int length) {
    if (signer == null) throw new IllegalStateException("this node has no signing key");
    return signer.sign(data, offset, length);
  }

  /**
   * Whether {@code signature} is {@code replica}'s over the range; false for an unknown replica.
   */
  public boolean verify(int replica, byte[] data, int offset, int length, Bytes signature) {
    if (replica < 0 || replica >= verifiers.length) return false;
    Verifier verifier = verifiers[replica];
    if (verifier == null) {
      verifier = keyring.replicas().get(replica).verifier(keyring.scheme());
      verifiers[replica] = verifier;
    }
    if (memo != null) {
      return memo.verify(
          keyring.scheme(),
          replicaVerifyingKeys[replica],
          verifier,
          data,
          offset,
          length,
          signature);
    }
    return verifier.verify(data, offset, length, signature);
  }

  public Sha256 sha256() {
    return sha256;
  }

  /** A reset writer for encoding the bytes to sign or verify; valid until the next call. */
  public Writer scratch() {
    return scratch.reset();
  }
}
