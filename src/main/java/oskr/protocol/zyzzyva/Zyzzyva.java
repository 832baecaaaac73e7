package oskr.protocol.zyzzyva;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.ConfigException;
import oskr.core.Digest;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
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
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FetchState;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FillHole;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Pom;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.State;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/**
 * Zyzzyva (Kotla et al., SOSP 2007 / TOCS 2009): speculative BFT with a fast path (3f+1 matching
 * speculative responses), a slow path (commit certificates), fill-hole, checkpoints, state transfer
 * and a corrected view change; see {@code package-info.java}. The stateless {@link #verify} checks
 * every signature, MAC, certificate and history link before a node sees a message.
 */
public final class Zyzzyva implements Protocol<ZyzzyvaMessage> {
  public static final Zyzzyva INSTANCE = new Zyzzyva(PlantedBug.NONE);

  static final String WRONG_SENDER = "sender address does not match";
  static final String BAD_SIGNATURE = "bad signature";
  static final String BAD_AUTHENTICATOR = "bad request authenticator";
  static final String BAD_HISTORY = "history digest does not chain";
  static final String BAD_STATE = "state does not match its proof";

  /** Bugs that mutation tests plant (ZyzzyvaPlantedBugsTest); the real protocol has none. */
  enum PlantedBug {
    NONE,
    /** The view change of SOSP'07: what f+1 VIEW-CHANGEs report wins, whatever its view. */
    SOSP07_VIEW_CHANGE,
    /** The client completes on 3f matching SPEC-RESPONSEs, one short of the fast path's 3f+1. */
    FAST_PATH_ONE_SHORT
  }

  private final PlantedBug bug;

  /** Only {@link #INSTANCE}, and tests planting a bug. */
  Zyzzyva(PlantedBug bug) {
    this.bug = bug;
  }

  @Override
  public String name() {
    return "zyzzyva";
  }

  @Override
  public int id() {
    return 40;
  }

  @Override
  public boolean usesSignatures() {
    return true;
  }

  /** MACs wherever the protocol allows them, as its paper evaluates it; --auth overrides. */
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
  public Codec<ZyzzyvaMessage> codec() {
    return ZyzzyvaCodec.INSTANCE;
  }

  @Override
  public void verify(ZyzzyvaMessage message, Address from, Config config, Crypto crypto)
      throws Rejected {
    switch (message) {
      case Request m -> {
        if (!Auth.verifyRequest(crypto, m, config.n())) throw Rejected.of(BAD_AUTHENTICATOR);
      }
      case OrderReq m -> verifyOrder(m, from, config, crypto);
      case SpecResponse m -> {
        // Only its auth: the batch signature is checked when it goes into a certificate, the
        // order's when it goes into a proof of misbehaviour (ZyzzyvaClient), never per response.
        sentBy(m.replica(), from, config);
        if (!Auth.verifyResponse(crypto, m)) throw Rejected.of(BAD_SIGNATURE);
      }
      case Commit m -> Certificates.commitCert(m.cert(), config, crypto);
      case LocalCommit m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verifyLocalCommit(crypto, m)) throw Rejected.of(BAD_SIGNATURE);
      }
      case FillHole m -> sentBy(m.replica(), from, config);
      case Vote m -> {
        sentBy(m.replica(), from, config);
        Writer out = crypto.scratch();
        Codecs.voteStatement(out, m.view(), m.seq(), m.historyDigest());
        if (!crypto.verify(m.replica(), out.buffer(), 0, out.position(), m.auth())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
      }
      case Checkpoint m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.auth())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
      }
      case ViewChange m -> {
        sentBy(m.replica(), from, config);
        Certificates.viewChange(m, config, crypto);
      }
      case NewView m -> {
        // The new primary's signature is what convinces: any member may relay its NEW-VIEW to a
        // replica left behind. Members only: checking one costs 2f+1 VIEW-CHANGEs' signatures.
        fromAMember(from, config);
        Certificates.newView(m, config, crypto);
      }
      case Pom m -> {
        int primary = Certificates.primary(m.view(), config);
        if (!orderSigned(crypto, primary, m.view(), m.seq(), m.first(), m.firstAuth())
            || !orderSigned(crypto, primary, m.view(), m.seq(), m.second(), m.secondAuth())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
      }
      case FetchState m -> sentBy(m.replica(), from, config);
      case State m -> {
        sentBy(m.replica(), from, config);
        Certificates.checkpointProof(m.proof(), config, crypto);
        Digest digest = crypto.sha256().digest(m.state().unsafeArray(), 0, m.state().length());
        if (!digest.equals(m.proof().stateDigest())) throw Rejected.of(BAD_STATE);
      }
    }
  }

  /**
   * An ORDER-REQ authenticated by the primary of its view, whose history digest chains the batch
   * onto {@code previousDigest}, with every request authenticated by its client. The primary's
   * signature is what convinces: any member may relay it, as replicas answer a FILL-HOLE with the
   * primary's orders (SOSP'07 §3.4) once the primary has pruned them or is slow. Under {@code hmac}
   * the primary's MAC for this replica convinces it too, and spares it the signature check; a
   * primary that signs badly behind good MACs gains nothing: the view change carries no order
   * signatures (package-info), and a proof of misbehaviour needs valid ones, which clients check,
   * so its misbehaviour is handled as a silent primary's (§3.3).
   */
  private static void verifyOrder(OrderReq m, Address from, Config config, Crypto crypto)
      throws Rejected {
    int primary = Certificates.primary(m.view(), config);
    fromAMember(from, config);
    if (!Auth.verifyOrderMac(crypto, primary, config.n(), m)
        && !orderSigned(crypto, primary, m.view(), m.seq(), m.historyDigest(), m.auth())) {
      throw Rejected.of(BAD_SIGNATURE);
    }
    Digest batch = Codecs.batchDigest(m.batch(), crypto.sha256(), new Writer(256));
    if (!Codecs.historyDigest(m.previousDigest(), batch, crypto.sha256())
        .equals(m.historyDigest())) {
      throw Rejected.of(BAD_HISTORY);
    }
    for (Request request : m.batch()) {
      if (!Auth.verifyRequest(crypto, request, config.n())) throw Rejected.of(BAD_AUTHENTICATOR);
    }
  }

  static boolean orderSigned(
      Crypto crypto, int primary, long view, long seq, Digest digest, oskr.core.Bytes auth) {
    Writer out = crypto.scratch();
    Codecs.orderStatement(out, view, seq, digest);
    return crypto.verify(primary, out.buffer(), 0, out.position(), auth);
  }

  private static void fromAMember(Address from, Config config) throws Rejected {
    for (int replica = 0; replica < config.n(); replica++) {
      if (config.replica(replica).equals(from)) return;
    }
    throw Rejected.of(WRONG_SENDER);
  }

  private static void sentBy(int replica, Address from, Config config) throws Rejected {
    Certificates.member(replica, config);
    if (!config.replica(replica).equals(from)) throw Rejected.of(WRONG_SENDER);
  }

  @Override
  public Replica<ZyzzyvaMessage> replica(ReplicaSetup<ZyzzyvaMessage> setup) {
    NewViewRule.Kind rule =
        bug == PlantedBug.SOSP07_VIEW_CHANGE ? NewViewRule.Kind.SOSP07 : NewViewRule.Kind.CORRECTED;
    return new ZyzzyvaReplica(setup, rule);
  }

  @Override
  public Client<ZyzzyvaMessage> client(ClientSetup<ZyzzyvaMessage> setup) {
    int fastQuorum = setup.config().n() - (bug == PlantedBug.FAST_PATH_ONE_SHORT ? 1 : 0);
    return new ZyzzyvaClient(setup, fastQuorum);
  }

  /**
   * One Byzantine (or amnesiac) replica of four, signed with Ed25519, and with MACs where the
   * protocol allows them; small batches and a short checkpoint interval exercise commit points,
   * garbage collection, state transfer and view changes within a run.
   */
  @Override
  public List<SimulationTarget<ZyzzyvaMessage>> simulationTargets() {
    Options options =
        Options.defaults()
            .withBatchSizeMax(4)
            .withSettings(ZyzzyvaSettings.DEFAULTS.withCheckpoints(4, 16));
    return List.of(
        target(name(), options.withScheme(Scheme.ED25519)),
        target(name() + "-hmac", options.withScheme(Scheme.HMAC)));
  }

  private SimulationTarget<ZyzzyvaMessage> target(String targetName, Options options) {
    return new SimulationTarget<>(
        targetName,
        this,
        FaultModel.byzantine(1, true),
        Optional.of(ZyzzyvaAdapter.INSTANCE),
        options,
        Duration.ofSeconds(30));
  }
}
