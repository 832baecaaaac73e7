package oskr.core.crypto;

import java.util.List;
import java.util.Optional;

/**
 * Every replica's public keys and, on a replica, its own private key. Immutable and shared by all
 * threads; each thread makes its own {@link Crypto} from it.
 */
public record Keyring(Scheme scheme, List<PublicKeys> replicas, Optional<SigningKey> own) {
  public Keyring {
    replicas = List.copyOf(replicas);
  }

  public static Keyring forClient(Scheme scheme, List<PublicKeys> replicas) {
    return new Keyring(scheme, replicas, Optional.empty());
  }

  /**
   * A client with its own (ephemeral) key: with {@link Scheme#HMAC} it agrees session keys with
   * the replicas from it. Make it with {@link SigningKey#generate} (the simulator: {@link
   * SigningKey#derive} from its seed).
   */
  public static Keyring forClient(Scheme scheme, List<PublicKeys> replicas, SigningKey key) {
    return new Keyring(scheme, replicas, Optional.of(key));
  }
}
