package oskr.core.crypto;

import java.util.Locale;

/** Public-key signature schemes selectable per run. MAC authenticators come with PBFT (#5). */
public enum Scheme {
  SECP256K1,
  ED25519;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException listing the accepted names */
  public static Scheme parse(String name) {
    for (Scheme scheme : values()) if (scheme.cliName().equals(name)) return scheme;
    throw new IllegalArgumentException("unknown signature scheme '" + name + "', expected secp256k1 or ed25519");
  }
}
