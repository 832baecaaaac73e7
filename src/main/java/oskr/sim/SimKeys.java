package oskr.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.PublicKeys;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;

/**
 * The replicas' keys of a simulation, derived from its seed so every run of a seed signs the same
 * bytes. A Byzantine behaviour may sign with a replica's key through {@link #replicaKey}.
 */
public final class SimKeys {
  private final long seed;
  private final Scheme scheme;
  private final List<SigningKey> keys;
  private final List<PublicKeys> publicKeys;

  public SimKeys(long seed, int replicas, Scheme scheme) {
    this.seed = seed;
    this.scheme = scheme;
    List<SigningKey> signing = new ArrayList<>(replicas);
    List<PublicKeys> verifying = new ArrayList<>(replicas);
    for (int i = 0; i < replicas; i++) {
      SigningKey key = replicaKey(seed, i);
      signing.add(key);
      verifying.add(key.publicKeys());
    }
    this.keys = List.copyOf(signing);
    this.publicKeys = List.copyOf(verifying);
  }

  /** Replica {@code replica}'s key in every simulation of {@code seed}. */
  public static SigningKey replicaKey(long seed, int replica) {
    String material = "oskr-sim seed=" + seed + " replica=" + replica;
    return SigningKey.derive(material.getBytes(StandardCharsets.UTF_8));
  }

  /** What replica {@code replica} holds: everyone's public keys and its own private key. */
  public Keyring replica(int replica) {
    return new Keyring(scheme, publicKeys, Optional.of(keys.get(replica)));
  }

  /** What a client holds: the replicas' public keys. */
  public Keyring client() {
    return Keyring.forClient(scheme, publicKeys);
  }

  /**
   * What client {@code client} holds: the replicas' public keys and a key of its own (derived
   * from the seed), for protocols whose clients sign or MAC their requests.
   */
  public Keyring client(int client) {
    String material = "oskr-sim seed=" + seed + " client=" + client;
    SigningKey key = SigningKey.derive(material.getBytes(StandardCharsets.UTF_8));
    return Keyring.forClient(scheme, publicKeys, key);
  }
}
