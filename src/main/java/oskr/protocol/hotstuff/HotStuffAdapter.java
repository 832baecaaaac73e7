package oskr.protocol.hotstuff;

import java.util.EnumSet;
import java.util.Set;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.ChunkPart;
import oskr.protocol.Randomness;
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
 * HotStuff's Byzantine behaviours: a faulty replica re-signs with its own key whatever it changes,
 * so only the content lies. Equivocation proposes, to a random half of the receivers, a block that
 * forks from genesis (as leader), and votes for a receiver-specific digest; lying digests do not
 * match the block, a checkpoint's state digest is invented (re-signed) and a served state chunk has
 * a byte changed; a false view claims a later one; a corrupted authenticator flips one bit of a
 * signature.
 */
final class HotStuffAdapter implements ByzantineAdapter<HotStuffMessage> {
  static final HotStuffAdapter INSTANCE = new HotStuffAdapter();

  private HotStuffAdapter() {}

  @Override
  public Set<Behaviour> behaviours() {
    return EnumSet.of(
        Behaviour.EQUIVOCATE, Behaviour.LIE_DIGEST, Behaviour.FALSE_VIEW, Behaviour.CORRUPT_AUTH);
  }

  @Override
  public HotStuffMessage rewrite(
      Behaviour behaviour,
      HotStuffMessage message,
      int replica,
      Address to,
      Crypto crypto,
      Randomness random) {
    return switch (behaviour) {
      case EQUIVOCATE -> equivocate(message, to, crypto, random);
      case LIE_DIGEST -> lieAboutDigests(message, crypto, random);
      case FALSE_VIEW -> claimLaterView(message, crypto, random);
      case CORRUPT_AUTH -> corruptAuth(message, random);
      default ->
          throw new IllegalArgumentException("not a HotStuff-specific behaviour: " + behaviour);
    };
  }

  /** A proposal of {@code block}, digested and authenticated by the faulty leader. */
  static Proposal propose(Block block, Crypto crypto) {
    Digest digest = HotStuff.digest(block, crypto);
    return propose(block, digest, crypto);
  }

  /** A proposal of {@code block} claiming {@code digest}, authenticated by the faulty leader. */
  private static Proposal propose(Block block, Digest digest, Crypto crypto) {
    Proposal unsigned = new Proposal(block, digest, Bytes.EMPTY);
    return new Proposal(
        block, digest, Auth.authenticateProposal(crypto, unsigned, crypto.replicaCount()));
  }

  static Vote vote(long view, Digest block, int replica, Crypto crypto) {
    Vote unsigned = new Vote(view, block, replica, Bytes.EMPTY);
    return new Vote(view, block, replica, Auth.sign(crypto, unsigned::encodeSigned));
  }

  /** A digest that depends on the receiver, so each one hears its own story. */
  private static Digest storyFor(Address to, long salt) {
    return new Digest(to.hashCode(), to.port(), salt, 0x5eed);
  }

  private static HotStuffMessage equivocate(
      HotStuffMessage message, Address to, Crypto crypto, Randomness random) {
    return switch (message) {
      case Proposal m -> {
        // To a random half of the receivers, a conflicting block of the same view that ignores
        // every lock: it extends genesis (the one QC always at hand), with the same requests.
        if (random.nextBoolean()) yield m;
        Block block = m.block();
        yield propose(
            new Block(block.view(), QuorumCert.GENESIS, block.batch(), block.proposer()), crypto);
      }
      case Vote m -> vote(m.view(), storyFor(to, m.view()), m.replica(), crypto);
      default -> message;
    };
  }

  private static HotStuffMessage lieAboutDigests(
      HotStuffMessage message, Crypto crypto, Randomness random) {
    Digest lie = new Digest(random.nextLong(), random.nextLong(), random.nextLong(), 1);
    return switch (message) {
      case Proposal m -> {
        yield propose(m.block(), lie, crypto);
      }
      case Vote m -> vote(m.view(), lie, m.replica(), crypto);
      case Blocks m -> new Blocks(lie, m.blocks(), m.replica());
      case Checkpoint m -> {
        Checkpoint unsigned = new Checkpoint(m.height(), m.block(), lie, m.replica(), Bytes.EMPTY);
        yield unsigned.withSignature(Auth.sign(crypto, unsigned::encodeSigned));
      }
      case StateChunk m -> new StateChunk(m.height(), m.stateDigest(), flip(m.part()), m.replica());
      default -> message;
    };
  }

  private static HotStuffMessage claimLaterView(
      HotStuffMessage message, Crypto crypto, Randomness random) {
    long ahead = 1 + random.nextInt(3);
    return switch (message) {
      case Proposal m -> {
        Block block = m.block();
        yield propose(
            new Block(block.view() + ahead, block.justify(), block.batch(), block.proposer()),
            crypto);
      }
      case Vote m -> vote(m.view() + ahead, m.block(), m.replica(), crypto);
      case NewView m -> {
        NewView unsigned =
            new NewView(m.view() + ahead, m.qcHigh(), m.replica(), m.nonce(), Bytes.EMPTY);
        yield unsigned.withSignature(Auth.sign(crypto, unsigned::encodeSigned));
      }
      default -> message;
    };
  }

  private static HotStuffMessage corruptAuth(HotStuffMessage message, Randomness random) {
    return switch (message) {
      case Proposal m -> new Proposal(m.block(), m.digest(), flip(m.signature(), random));
      case Vote m -> new Vote(m.view(), m.block(), m.replica(), flip(m.signature(), random));
      case NewView m -> m.withSignature(flip(m.signature(), random));
      case Reply m -> m.withAuth(flip(m.auth(), random));
      case Request m -> m;
      case FetchBlocks m -> m;
      case Blocks m -> m;
      case Checkpoint m -> m.withSignature(flip(m.signature(), random));
      case FetchState m -> m;
      case StateChunk m -> m;
    };
  }

  /** The chunk with its first byte changed: no longer the state its digest names. */
  static ChunkPart flip(ChunkPart part) {
    byte[] data = part.data().toArray();
    if (data.length > 0) data[0] ^= 1;
    return new ChunkPart(part.chunk(), part.size(), Bytes.adopt(data), part.path());
  }

  private static Bytes flip(Bytes auth, Randomness random) {
    if (auth.length() == 0) return Bytes.utf8("x");
    byte[] bytes = auth.toArray();
    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
    return Bytes.adopt(bytes);
  }
}
