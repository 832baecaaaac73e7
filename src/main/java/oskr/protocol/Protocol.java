package oskr.protocol;

import java.util.List;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;

/**
 * A replication protocol as the runtime and the simulator see it: its codec, its stateless check of
 * incoming messages, and factories for its replicas and clients. Implementations are stateless
 * singletons.
 */
public interface Protocol<M> {
  /** The name given to {@code -m}, for example {@code unreplicated-signed}. */
  String name();

  /** The protocol id in every frame header; unique per protocol. */
  int id();

  /** Whether replicas sign (clients then need the replicas' key files). */
  boolean usesSignatures();

  /**
   * Whether clients authenticate their requests with a key of their own (the runtime and the
   * simulator then give each client keyring one: {@code Keyring.forClient(scheme, replicas, key)}).
   * Replicas of such a protocol drop requests from clients without one.
   */
  default boolean clientsHaveKeys() {
    return false;
  }

  /**
   * The authentication scheme the protocol's paper evaluates, which {@code oskr replica|client|
   * bench} use unless {@code --auth} says otherwise: MACs where the protocol allows them. Only read
   * when {@link #usesSignatures()}.
   */
  default Scheme defaultScheme() {
    return Scheme.SECP256K1;
  }

  /**
   * The batch bound the protocol's paper evaluates, used unless {@code -b} says otherwise: adaptive
   * batching up to 100 for the protocols that batch, 1 for those that do not.
   */
  default int defaultBatchSizeMax() {
    return 1;
  }

  /**
   * Checks n and f for this protocol.
   *
   * @throws ConfigException naming {@code fileName} and the rule, for example n = 3f+1
   */
  void checkConfig(Config config, String fileName) throws ConfigException;

  Codec<M> codec();

  /**
   * The stateless check run on a worker before a node sees the message: signatures, MACs, that a
   * replica message comes from a member. Must only read its arguments.
   *
   * @throws Rejected with the reason to count
   */
  void verify(M message, Address from, Config config, Crypto crypto) throws Rejected;

  Replica<M> replica(ReplicaSetup<M> setup);

  Client<M> client(ClientSetup<M> setup);

  /**
   * How deterministic simulation testing runs this protocol: one target or more (other options,
   * another authentication scheme), each with the fault model the protocol promises to survive and,
   * for a BFT protocol, its Byzantine behaviours. A protocol counts as done only once its targets
   * pass; {@code oskr simulate -m TARGET} and the DST suite run every one of them.
   */
  List<SimulationTarget<M>> simulationTargets();
}
