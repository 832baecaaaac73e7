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
}
