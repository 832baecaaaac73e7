package oskr.core.crypto;

/** What others need to verify one replica: its secp256k1 point and derived Ed25519 key. */
public record PublicKeys(byte[] secp256k1, byte[] ed25519) {
  public PublicKeys {
    secp256k1 = secp256k1.clone();
    ed25519 = ed25519.clone();
  }

  @Override
  public byte[] secp256k1() {
    return secp256k1.clone();
  }

  @Override
  public byte[] ed25519() {
    return ed25519.clone();
  }

  public Verifier verifier(Scheme scheme) {
    return switch (scheme) {
      case SECP256K1 -> new Secp256k1.Verify(secp256k1);
      case ED25519, HMAC -> new Ed25519.Verify(ed25519);
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PublicKeys that
        && java.util.Arrays.equals(secp256k1, that.secp256k1)
        && java.util.Arrays.equals(ed25519, that.ed25519);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(secp256k1) * 31 + java.util.Arrays.hashCode(ed25519);
  }
}
