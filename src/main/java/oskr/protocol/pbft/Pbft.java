package oskr.protocol.pbft;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.protocol.ChunkTree;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.FaultModel;
import oskr.protocol.Options;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;

/**
 * PBFT (Castro and Liskov, OSDI 1999 and TOCS 2002) with batching, checkpoints, view changes and
 * state transfer; see {@code package-info.java}. The stateless {@link #verify} checks every
 * signature and certificate before a replica or client sees a message.
 */
public final class Pbft implements Protocol<PbftMessage> {
  public static final Pbft INSTANCE = new Pbft(NewViewPlan::of);

  static final String NOT_MEMBER = "not a member";
  static final String WRONG_SENDER = "sender address does not match";
  static final String BAD_SIGNATURE = "bad signature";
  static final String BAD_AUTHENTICATOR = "bad request authenticator";

  /** The NEW-VIEW decision: {@link NewViewPlan#of}, or a planted bug in a mutation test. */
  private final NewViewPlan.Rule newViewRule;

  /** Only {@link #INSTANCE}, and tests planting a wrong NEW-VIEW decision (mutation testing). */
  Pbft(NewViewPlan.Rule newViewRule) {
    this.newViewRule = newViewRule;
  }

  @Override
  public String name() {
    return "pbft";
  }

  @Override
  public int id() {
    return 3;
  }

  @Override
  public boolean usesSignatures() {
    return true;
  }

  /** MAC authenticators, as the TOCS paper evaluates PBFT; signatures with {@code --auth}. */
  @Override
  public Scheme defaultScheme() {
    return Scheme.HMAC;
  }

  @Override
  public int defaultBatchSizeMax() {
    return 100;
  }

  /** Clients sign (or MAC) their requests with a key of their own. */
  @Override
  public boolean clientsHaveKeys() {
    return true;
  }

  @Override
  public void checkConfig(Config config, String fileName) throws ConfigException {
    config.requireReplicas(3 * config.f() + 1, name(), "n = 3f+1", fileName);
  }

  @Override
  public Codec<PbftMessage> codec() {
    return PbftCodec.INSTANCE;
  }

  @Override
  public void verify(PbftMessage message, Address from, Config config, Crypto crypto)
      throws Rejected {
    switch (message) {
      case Request m -> {
        if (!Auth.verifyRequest(crypto, m, config.n())) throw Rejected.of(BAD_AUTHENTICATOR);
      }
      case Reply m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verifyReply(crypto, m)) throw Rejected.of(BAD_SIGNATURE);
      }
      case PrePrepare m -> {
        sentBy(Certificates.primary(m.view(), config), from, config);
        // Not its requests: a backup checks those on a worker before its PREPARE, and a request
        // it cannot authenticate is the client's fault as much as the primary's (PrePrepares).
        Certificates.prePrepare(m, config, crypto);
      }
      case Prepare m -> {
        sentBy(m.replica(), from, config);
        Certificates.prepare(m, config, crypto);
      }
      case Commit m -> {
        sentBy(m.replica(), from, config);
        Certificates.commit(m, config, crypto);
      }
      case Checkpoint m -> {
        sentBy(m.replica(), from, config);
        Certificates.checkpoint(m, config, crypto);
      }
      case ViewChange m -> {
        sentBy(m.replica(), from, config);
        Certificates.viewChange(m, config, crypto);
      }
      case NewView m -> {
        sentBy(Certificates.primary(m.view(), config), from, config);
        Certificates.newView(m, config, crypto, newViewRule);
      }
      case FetchState m -> sentBy(m.replica(), from, config);
      case FetchLog m -> sentBy(m.replica(), from, config);
      case StateChunk m -> {
        if (config.indexOf(from) < 0) throw Rejected.of(NOT_MEMBER);
        Certificates.stableProof(m.seq(), m.stateDigest(), m.proof(), config, crypto);
        if (!ChunkTree.verifies(
            m.stateDigest(), m.size(), m.chunk(), m.data(), m.path(), crypto.sha256())) {
          throw Rejected.of(StateTransfer.CHUNK_MISMATCH);
        }
      }
      case Reject m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verifyAgreement(crypto, m.replica(), m::encodeSigned, m.auth()))
          throw Rejected.of(BAD_SIGNATURE);
      }
      case CommittedProof m -> {
        if (config.indexOf(from) < 0) throw Rejected.of(NOT_MEMBER);
        Certificates.committed(m, config, crypto);
        // With HMAC the one COMMIT is its sender's own claim.
        if (crypto.scheme() == Scheme.HMAC) sentBy(m.commits().get(0).replica(), from, config);
      }
    }
  }

  /**
   * The message authenticated anew by {@code crypto}'s replica as the run's scheme wants it, for
   * tools that play a faulty replica (the simulator's Byzantine behaviours); messages without a
   * replica's authentication come back as they are. Call on the simulator's or a test's thread,
   * never from a replica.
   */
  static PbftMessage resign(PbftMessage message, Crypto crypto) {
    return switch (message) {
      case PrePrepare m -> m.withAuth(Auth.agreementAuth(crypto, m::encodeSigned));
      case Prepare m -> m.withAuth(Auth.agreementAuth(crypto, m::encodeSigned));
      case Commit m -> m.withAuth(Auth.agreementAuth(crypto, m::encodeSigned));
      case Checkpoint m -> m.withAuth(Auth.sign(crypto, m::encodeSigned));
      case ViewChange m -> m.withAuth(Auth.sign(crypto, m::encodeSigned));
      case NewView m -> m.withAuth(Auth.sign(crypto, m::encodeSigned));
      case Request m -> m;
      case Reply m -> m;
      case FetchState m -> m;
      case StateChunk m -> m;
      case FetchLog m -> m;
      case CommittedProof m -> m;
      case Reject m -> m.withAuth(Auth.agreementAuth(crypto, m::encodeSigned));
    };
  }

  /** The digest d that a PRE-PREPARE carries for {@code batch}. */
  static Digest batchDigest(List<Request> batch, Crypto crypto) {
    return Batches.digest(batch, crypto);
  }

  private static void sentBy(int replica, Address from, Config config) throws Rejected {
    Certificates.member(replica, config);
    if (!config.replica(replica).equals(from)) throw Rejected.of(WRONG_SENDER);
  }

  @Override
  public Replica<PbftMessage> replica(ReplicaSetup<PbftMessage> setup) {
    return new PbftReplica(setup, newViewRule);
  }

  @Override
  public Client<PbftMessage> client(ClientSetup<PbftMessage> setup) {
    return new PbftClient(setup);
  }

  /**
   * One Byzantine (or amnesiac) replica of four, signed with Ed25519 (quick seeds) and with MAC
   * authenticators (TOCS §5, whose view change decides from claims); short checkpoint intervals and
   * small batches exercise checkpoints, state transfer and view changes within a run.
   */
  @Override
  public List<SimulationTarget<PbftMessage>> simulationTargets() {
    Options options =
        Options.defaults().withBatchSizeMax(4).withSettings(PbftSettings.checkpoints(8, 16));
    // Named as oskr replica|bench run PBFT: with MACs unless told to sign. The signed target
    // stays first, where the tests of planted bugs take it.
    return List.of(
        target(name() + "-ed25519", options.withScheme(Scheme.ED25519)),
        target(name(), options.withScheme(Scheme.HMAC)));
  }

  private SimulationTarget<PbftMessage> target(String targetName, Options options) {
    return new SimulationTarget<>(
        targetName,
        this,
        FaultModel.byzantine(1, true),
        Optional.of(PbftAdapter.INSTANCE),
        options,
        Duration.ofSeconds(30));
  }
}
