package oskr.protocol.hotstuff;

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
import oskr.protocol.hotstuff.HotStuffMessage.Blocks;
import oskr.protocol.hotstuff.HotStuffMessage.Checkpoint;
import oskr.protocol.hotstuff.HotStuffMessage.FetchBlocks;
import oskr.protocol.hotstuff.HotStuffMessage.FetchState;
import oskr.protocol.hotstuff.HotStuffMessage.NewView;
import oskr.protocol.hotstuff.HotStuffMessage.Proposal;
import oskr.protocol.hotstuff.HotStuffMessage.Reply;
import oskr.protocol.hotstuff.HotStuffMessage.Request;
import oskr.protocol.hotstuff.HotStuffMessage.StateChunk;
import oskr.protocol.hotstuff.HotStuffMessage.Vote;

/**
 * Chained HotStuff (Yin et al., PODC 2019) with a pacemaker, round-robin leaders, block sync and
 * state transfer from checkpoints; see {@code package-info.java}. The stateless {@link #verify}
 * checks every signature, QC and block digest before a replica or client sees a message.
 */
public final class HotStuff implements Protocol<HotStuffMessage> {
  public static final HotStuff INSTANCE = new HotStuff(PlantedBug.NONE);

  static final String NOT_MEMBER = "not a member";
  static final String WRONG_SENDER = "sender address does not match";
  static final String BAD_SIGNATURE = "bad signature";
  static final String BAD_AUTHENTICATOR = "bad request authenticator";
  static final String BAD_QC = "bad quorum certificate";
  static final String BAD_DIGEST = "block digest does not match";
  static final String NOT_LEADER = "proposal not from the view's leader";
  static final String CHUNK_MISMATCH = "state chunk does not match its digest";

  /** Bugs that mutation tests plant (HotStuffPlantedBugsTest); the real protocol has none. */
  enum PlantedBug {
    NONE,
    /**
     * Commits (and locks) a block as soon as a QC certifies it, a one-chain instead of the direct
     * three-chain: a QC seen by few replicas before a view change commits a block that the next
     * leaders never extend.
     */
    ONE_CHAIN_COMMIT
  }

  private final PlantedBug bug;

  /** Only {@link #INSTANCE}, and tests planting a bug. */
  HotStuff(PlantedBug bug) {
    this.bug = bug;
  }

  @Override
  public String name() {
    return "hotstuff";
  }

  @Override
  public int id() {
    return 30;
  }

  @Override
  public boolean usesSignatures() {
    return true;
  }

  /** Votes and QCs must convince third parties: signed, Ed25519 unless --auth says otherwise. */
  @Override
  public Scheme defaultScheme() {
    return Scheme.ED25519;
  }

  /** Blocks of up to 100 requests, as the paper's evaluation. */
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
  public Codec<HotStuffMessage> codec() {
    return HotStuffCodec.INSTANCE;
  }

  /** The votes a QC needs: n-f. */
  static int quorum(Config config) {
    return config.n() - config.f();
  }

  /** Who gets a vote for {@code view}: the leaders of the f+1 views after it (see the replica). */
  static int[] voteRecipients(long view, Config config) {
    int count = Math.min(config.f() + 1, config.n());
    int[] leaders = new int[count];
    for (int i = 0; i < count; i++) leaders[i] = leader(view + 1 + i, config.n());
    return leaders;
  }

  static boolean isVoteRecipient(long view, int replica, Config config) {
    for (int leader : voteRecipients(view, config)) if (leader == replica) return true;
    return false;
  }

  static int leader(long view, int n) {
    return (int) (view % n);
  }

  @Override
  public void verify(HotStuffMessage message, Address from, Config config, Crypto crypto)
      throws Rejected {
    switch (message) {
      case Request m -> {
        if (!Auth.verifyRequest(crypto, m, config.n())) throw Rejected.of(BAD_AUTHENTICATOR);
      }
      case Reply m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verifyReply(crypto, m)) throw Rejected.of(BAD_SIGNATURE);
      }
      case Proposal m -> verifyProposal(m, from, config, crypto);
      case Vote m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.signature())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
      }
      case NewView m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.signature())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
        verifyQc(m.qcHigh(), quorum(config), config, crypto);
      }
      case FetchBlocks m -> sentBy(m.replica(), from, config);
      case Blocks m -> {
        sentBy(m.replica(), from, config);
        for (int i = 0; i < m.blocks().size(); i++) {
          if (!digest(m.blocks().get(i), crypto).equals(m.digest(i))) {
            throw Rejected.of(BAD_DIGEST);
          }
        }
      }
      case Checkpoint m -> {
        sentBy(m.replica(), from, config);
        if (!Auth.verify(crypto, m.replica(), m::encodeSigned, m.signature())) {
          throw Rejected.of(BAD_SIGNATURE);
        }
      }
      case FetchState m -> sentBy(m.replica(), from, config);
      case StateChunk m -> {
        sentBy(m.replica(), from, config);
        // Against the digest it names; the replica takes it only if f+1 CHECKPOINTs proved that.
        if (!m.part().verifies(m.stateDigest(), crypto.sha256())) {
          throw Rejected.of(CHUNK_MISMATCH);
        }
      }
    }
  }

  private void verifyProposal(Proposal m, Address from, Config config, Crypto crypto)
      throws Rejected {
    Block block = m.block();
    int leader = leader(block.view(), config.n());
    sentBy(leader, from, config);
    if (block.proposer() != leader) throw Rejected.of(NOT_LEADER);
    if (!Auth.verifyProposal(crypto, leader, m, config.n())) throw Rejected.of(BAD_SIGNATURE);
    if (!digest(block, crypto).equals(m.digest())) throw Rejected.of(BAD_DIGEST);
    // The requests inside are checked by the replica (ProposalCheck): most arrived from their
    // clients already and were verified then. So is the QC at a recipient of its votes, which
    // verified most of its signatures already (a job would only queue behind other work).
    if (!qcCheckedByReplica(block.justify(), crypto.ownIndex(), config)) {
      verifyQc(block.justify(), quorum(config), config, crypto);
    }
  }

  /**
   * Whether the replica {@code self}, not {@link #verify}, checks a proposal's QC: when it received
   * that QC's votes (ProposalCheck); the same rule on both sides.
   */
  static boolean qcCheckedByReplica(QuorumCert qc, int self, Config config) {
    return !qc.isGenesis() && self >= 0 && isVoteRecipient(qc.view(), self, config);
  }

  /** A QC: genesis, or {@code quorum} distinct members' valid vote signatures on (view, block). */
  static void verifyQc(QuorumCert qc, int quorum, Config config, Crypto crypto) throws Rejected {
    if (qc.isGenesis()) return;
    if (qc.signatures().size() < quorum) throw Rejected.of(BAD_QC);
    Writer out = crypto.scratch();
    QuorumCert.encodeVote(out, qc.view(), qc.block());
    byte[] signed = out.toArray();
    for (QuorumCert.Signature signature : qc.signatures()) {
      if (signature.replica() >= config.n()) throw Rejected.of(BAD_QC);
      if (!crypto.verify(signature.replica(), signed, 0, signed.length, signature.signature())) {
        throw Rejected.of(BAD_QC);
      }
    }
  }

  /** On a worker: the digest of {@code block}. */
  static Digest digest(Block block, Crypto crypto) {
    return block.digest(crypto.sha256(), crypto.scratch());
  }

  private static void sentBy(int replica, Address from, Config config) throws Rejected {
    if (replica >= config.n()) throw Rejected.of(NOT_MEMBER);
    if (!config.replica(replica).equals(from)) throw Rejected.of(WRONG_SENDER);
  }

  @Override
  public Replica<HotStuffMessage> replica(ReplicaSetup<HotStuffMessage> setup) {
    return new HotStuffReplica(setup, bug, quorum(setup.config()));
  }

  @Override
  public Client<HotStuffMessage> client(ClientSetup<HotStuffMessage> setup) {
    return new HotStuffClient(setup);
  }

  /**
   * One Byzantine replica of four (Twins among the behaviours), signed with Ed25519 and with HMAC
   * requests and replies; small batches, a short view timeout and a short block retention exercise
   * batching, view changes, block sync and pruning within a run.
   */
  @Override
  public List<SimulationTarget<HotStuffMessage>> simulationTargets() {
    Options options =
        Options.defaults()
            .withBatchSizeMax(4)
            .withSettings(HotStuffSettings.DEFAULTS.withRetainedBlocks(64));
    return List.of(
        target(name(), options.withScheme(Scheme.ED25519)),
        target(name() + "-hmac", options.withScheme(Scheme.HMAC)));
  }

  private SimulationTarget<HotStuffMessage> target(String targetName, Options options) {
    return new SimulationTarget<>(
        targetName,
        this,
        FaultModel.byzantine(1, true),
        Optional.of(HotStuffAdapter.INSTANCE),
        options,
        Duration.ofSeconds(30));
  }
}
