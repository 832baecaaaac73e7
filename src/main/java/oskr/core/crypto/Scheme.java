package oskr.core.crypto;

import java.util.Locale;

/**
 * Authentication schemes selectable per run: public-key signatures, or {@link #HMAC} session-key
 * MACs (PBFT's authenticators) where a protocol supports them, with Ed25519 signatures for what
 * must convince third parties (certificates).
 */
public enum Scheme {
  SECP256K1,
  ED25519,
  /**
   * HMAC-SHA256 with pairwise keys agreed by ECDH over secp256k1; what must be signed is signed
   * with Ed25519 (the faster scheme; its key is derived from the same key file).
   */
  HMAC;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException listing the accepted names */
  public static Scheme parse(String name) {
    for (Scheme scheme : values()) if (scheme.cliName().equals(name)) return scheme;
    throw new IllegalArgumentException(
        "unknown signature scheme '" + name + "', expected secp256k1, ed25519 or hmac");
  }
}
