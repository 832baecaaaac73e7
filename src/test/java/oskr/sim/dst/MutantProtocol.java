package oskr.sim.dst;

import java.util.List;
import java.util.function.Function;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;

/**
 * A test-only protocol with a planted bug: it delegates to a real protocol (same id, codec and
 * config rule, so frames look the same on the wire) except where a test swaps in a mutant replica,
 * client or verify step. Production code carries no hook for it.
 */
public final class MutantProtocol<M> implements Protocol<M> {
  /** A stateless verify step. */
  @FunctionalInterface
  public interface Verify<M> {
    void verify(M message, Address from, Config config, Crypto crypto) throws Rejected;
  }

  private final Protocol<M> original;
  private final String name;
  private final Verify<M> verify;
  private final Function<ReplicaSetup<M>, Replica<M>> replicas;
  private final Function<ClientSetup<M>, Client<M>> clients;

  private MutantProtocol(
      Protocol<M> original,
      String name,
      Verify<M> verify,
      Function<ReplicaSetup<M>, Replica<M>> replicas,
      Function<ClientSetup<M>, Client<M>> clients) {
    this.original = original;
    this.name = name;
    this.verify = verify;
    this.replicas = replicas;
    this.clients = clients;
  }

  /** The original itself, renamed: mutate it with the {@code with} methods. */
  public static <M> MutantProtocol<M> of(Protocol<M> original, String bug) {
    return new MutantProtocol<>(
        original,
        original.name() + " with " + bug,
        original::verify,
        original::replica,
        original::client);
  }

  public MutantProtocol<M> withVerify(Verify<M> mutant) {
    return new MutantProtocol<>(original, name, mutant, replicas, clients);
  }

  public MutantProtocol<M> withReplicas(Function<ReplicaSetup<M>, Replica<M>> mutant) {
    return new MutantProtocol<>(original, name, verify, mutant, clients);
  }

  public MutantProtocol<M> withClients(Function<ClientSetup<M>, Client<M>> mutant) {
    return new MutantProtocol<>(original, name, verify, replicas, mutant);
  }

  /** The original's first simulation target (its fault model, options), running this mutant. */
  public SimulationTarget<M> target() {
    return simulationTargets().get(0);
  }

  /** The original's simulation targets, each running this mutant instead. */
  @Override
  public List<SimulationTarget<M>> simulationTargets() {
    return original.simulationTargets().stream()
        .map(target -> target.as(this, target.adapter()))
        .toList();
  }

  public Protocol<M> original() {
    return original;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int id() {
    return original.id();
  }

  @Override
  public boolean usesSignatures() {
    return original.usesSignatures();
  }

  @Override
  public void checkConfig(Config config, String fileName) throws ConfigException {
    original.checkConfig(config, fileName);
  }

  @Override
  public Codec<M> codec() {
    return original.codec();
  }

  @Override
  public void verify(M message, Address from, Config config, Crypto crypto) throws Rejected {
    verify.verify(message, from, config, crypto);
  }

  @Override
  public Replica<M> replica(ReplicaSetup<M> setup) {
    return replicas.apply(setup);
  }

  @Override
  public Client<M> client(ClientSetup<M> setup) {
    return clients.apply(setup);
  }
}
