package oskr.core.crypto;

import oskr.core.Bytes;
import oskr.core.Writer;

/**
 * One thread's crypto toolbox: this node's signer, a verifier per replica, SHA-256 and a scratch
 * writer for encoding what is signed. Thread-confined: the stage gives each worker its own, the
 * simulator one for all nodes. Verifiers are made on first use.
 */
public final class Crypto {
  private final Keyring keyring;
  private final Signer signer;
  private final Verifier[] verifiers;
  private final Sha256 sha256 = new Sha256();
  private final Writer scratch = new Writer(1024);

  public Crypto(Keyring keyring) {
    this.keyring = keyring;
    this.signer = keyring.own().map(key -> key.signer(keyring.scheme())).orElse(null);
    this.verifiers = new Verifier[keyring.replicas().size()];
  }

  public Scheme scheme() {
    return keyring.scheme();
  }

  /** Signs with this replica's key. */
  public Bytes sign(byte[] data, int offset, int length) {
    if (signer == null) throw new IllegalStateException("this node has no signing key");
    return signer.sign(data, offset, length);
  }

  /** Whether {@code signature} is {@code replica}'s over the range; false for an unknown replica. */
  public boolean verify(int replica, byte[] data, int offset, int length, Bytes signature) {
    if (replica < 0 || replica >= verifiers.length) return false;
    Verifier verifier = verifiers[replica];
    if (verifier == null) {
      verifier = keyring.replicas().get(replica).verifier(keyring.scheme());
      verifiers[replica] = verifier;
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
