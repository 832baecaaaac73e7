package oskr.protocol.hotstuff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.Sha256;
import oskr.protocol.ChunkPart;
import oskr.protocol.ChunkTree;
import oskr.protocol.Frames;
import oskr.protocol.Rejected;
import oskr.protocol.StateImage;
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
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/**
 * Every message round-trips; mutated frames decode to a message or fail only as malformed, and a
 * decoded one passes verify or is rejected with a reason; signed messages and QCs verify, and a QC
 * one signature short does not.
 */
class HotStuffCodecTest {
  private final Random random = new Random(30);
  private final Config config = SimulationBuilder.replicaConfig(4, 1);
  private final SimKeys keys = new SimKeys(1, 4, Scheme.ED25519);

  private long u64() {
    return random.nextBoolean()
        ? random.nextInt(1000) + 1
        : (random.nextLong() & (Long.MAX_VALUE >>> 1)) | 1;
  }

  private Bytes bytes(int max) {
    byte[] data = new byte[random.nextInt(max + 1)];
    random.nextBytes(data);
    return Bytes.adopt(data);
  }

  private Digest digest() {
    return new Digest(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
  }

  private Request request() {
    return new Request(
        random.nextLong(), u64(), new Address("10.0.0.1", 7000), bytes(40), bytes(33), bytes(64));
  }

  private QuorumCert qc(long view) {
    if (view == 0) return QuorumCert.GENESIS;
    List<QuorumCert.Signature> signatures = new ArrayList<>();
    for (int replica = 0; replica < 3; replica++) {
      signatures.add(new QuorumCert.Signature(replica, bytes(64)));
    }
    return new QuorumCert(view, digest(), signatures);
  }

  private Block block(long view) {
    List<Request> batch = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) batch.add(request());
    return new Block(view, qc(random.nextInt((int) Math.min(view, 5))), batch, (int) (view % 4));
  }

  private List<HotStuffMessage> samples() {
    long view = 5 + random.nextInt(100);
    int replica = random.nextInt(4);
    return List.of(
        request(),
        new Reply(view, random.nextLong(), u64(), replica, bytes(30), 0, bytes(64)),
        new Reply(view, random.nextLong(), u64(), replica, Bytes.EMPTY, u64(), bytes(64)),
        new Proposal(block(view), digest(), bytes(64)),
        new Vote(view, digest(), replica, bytes(64)),
        new NewView(view, qc(view - 1), replica, 0, bytes(64)),
        new NewView(view, QuorumCert.GENESIS, replica, random.nextLong(), bytes(64)),
        new FetchBlocks(digest(), 1 + random.nextInt(64), replica),
        new Blocks(digest(), List.of(block(view), block(view - 1)), replica),
        new Checkpoint(u64(), digest(), digest(), replica, bytes(64)),
        new FetchState(u64(), random.nextInt(1000), replica),
        stateChunk(replica));
  }

  /** A chunk of a random image of up to three chunks, with its real path. */
  private StateChunk stateChunk(int replica) {
    byte[] app = new byte[random.nextInt(3 * StateImage.CHUNK_BYTES)];
    random.nextBytes(app);
    StateImage image = new StateImage(bytes(20), App.Snapshot.of(Bytes.adopt(app)));
    ChunkTree tree = ChunkTree.of(image, new Sha256());
    ChunkPart part = ChunkPart.of(image, tree, random.nextInt(image.chunkCount()));
    return new StateChunk(u64(), tree.stateDigest(), part, replica);
  }

  @Test
  void aCheckpointVerifiesSignedByItsSenderOnly() throws Rejected {
    Crypto signer = new Crypto(keys.replica(2));
    Checkpoint unsigned = new Checkpoint(8, digest(), digest(), 2, Bytes.EMPTY);
    Checkpoint signed = unsigned.withSignature(Auth.sign(signer, unsigned::encodeSigned));
    Crypto verifier = new Crypto(keys.replica(0));
    HotStuff.INSTANCE.verify(signed, config.replica(2), config, verifier);
    Checkpoint otherDigest = new Checkpoint(8, signed.block(), digest(), 2, signed.signature());
    Checkpoint inAnothersName =
        new Checkpoint(8, signed.block(), signed.stateDigest(), 1, signed.signature());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(otherDigest, config.replica(2), config, verifier))
        .hasMessageContaining(HotStuff.BAD_SIGNATURE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(inAnothersName, config.replica(1), config, verifier))
        .hasMessageContaining(HotStuff.BAD_SIGNATURE);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(signed, config.replica(3), config, verifier))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void aStateChunkVerifiesAgainstItsDigestOnlyUnchanged() throws Rejected {
    Crypto verifier = new Crypto(keys.replica(0));
    for (int round = 0; round < 10; round++) {
      StateChunk chunk = stateChunk(1);
      HotStuff.INSTANCE.verify(chunk, config.replica(1), config, verifier);
      StateChunk changed =
          new StateChunk(
              chunk.height(), chunk.stateDigest(), HotStuffAdapter.flip(chunk.part()), 1);
      StateChunk otherDigest = new StateChunk(chunk.height(), digest(), chunk.part(), 1);
      for (StateChunk bad : List.of(changed, otherDigest)) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> HotStuff.INSTANCE.verify(bad, config.replica(1), config, verifier))
            .hasMessageContaining(HotStuff.CHUNK_MISMATCH);
      }
    }
  }

  @Test
  void malformedStateMessagesAreRejectedAtDecodeForWhatIsWrong() {
    java.util.Map<String, byte[]> frames = new java.util.LinkedHashMap<>();
    // Height 0 (genesis has no checkpoint) in each of the three.
    frames.put(
        "Checkpoint.height",
        frame(w -> w.u8(Checkpoint.TAG).u64(0).digest(digest()).digest(digest())));
    frames.put("FetchState.height", frame(w -> w.u8(FetchState.TAG).u64(0).u32(0).u8(1)));
    frames.put("StateChunk.height", frame(w -> w.u8(StateChunk.TAG).u64(0).digest(digest()).u8(1)));
    // A chunk beyond the image's size, data of the wrong length, a path longer than a tree, an
    // image too small for its length prefix.
    frames.put("StateChunk.chunk", frame(w -> chunk(w, 1, 100, 96)));
    frames.put("StateChunk.data", frame(w -> chunk(w, 0, 100, 99)));
    frames.put("StateChunk.path", frame(w -> chunk(w, 0, 100, 100).u8(33)));
    frames.put("StateChunk.size", frame(w -> chunk(w, 0, 3, 3)));
    frames.forEach(
        (reason, frame) ->
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> Frames.decode(HotStuff.INSTANCE, frame, 0, frame.length))
                .isInstanceOfSatisfying(
                    MalformedMessage.class, e -> assertThat(e.reason()).isEqualTo(reason)));
  }

  /** A STATE-CHUNK's fields up to its data: chunk {@code chunk} of {@code size} bytes. */
  private Writer chunk(Writer out, int chunk, long size, int dataLength) {
    out.u8(StateChunk.TAG).u64(8).digest(digest()).u8(1).u32(chunk).u64(size);
    return out.bytes(Bytes.adopt(new byte[dataLength]));
  }

  private static byte[] frame(java.util.function.Consumer<Writer> body) {
    Writer out = new Writer().u8(Frames.VERSION).u8(HotStuff.INSTANCE.id());
    body.accept(out);
    return out.toArray();
  }

  @Test
  void everyMessageRoundTrips() throws MalformedMessage {
    for (int round = 0; round < 20; round++) {
      for (HotStuffMessage message : samples()) {
        byte[] frame = encode(message);
        assertThat(Frames.decode(HotStuff.INSTANCE, frame, 0, frame.length)).isEqualTo(message);
      }
    }
  }

  @Test
  void mutatedFramesAreMalformedOrRejectedNeverAnotherException() {
    Crypto crypto = new Crypto(keys.replica(1));
    int decoded = 0;
    for (int round = 0; round < 300; round++) {
      for (HotStuffMessage message : samples()) {
        byte[] frame = mutate(encode(message));
        HotStuffMessage result;
        try {
          result = Frames.decode(HotStuff.INSTANCE, frame, 0, frame.length);
        } catch (MalformedMessage e) {
          assertThat(e.reason()).isNotEmpty();
          continue;
        }
        decoded++;
        try {
          HotStuff.INSTANCE.verify(result, config.replica(random.nextInt(4)), config, crypto);
        } catch (Rejected e) {
          assertThat(e.reason()).isNotEmpty();
        }
      }
    }
    assertThat(decoded).as("some mutations still decode").isPositive();
  }

  @Test
  void aQuorumOfVotesVerifiesAndOneShortDoesNot() throws Rejected {
    Digest block = digest();
    List<QuorumCert.Signature> signatures = new ArrayList<>();
    for (int replica = 0; replica < 3; replica++) {
      Crypto signer = new Crypto(keys.replica(replica));
      Vote vote = HotStuffAdapter.vote(7, block, replica, signer);
      HotStuff.INSTANCE.verify(vote, config.replica(replica), config, signer);
      signatures.add(new QuorumCert.Signature(replica, vote.signature()));
    }
    Crypto verifier = new Crypto(keys.replica(3));
    HotStuff.verifyQc(new QuorumCert(7, block, signatures), 3, config, verifier);
    QuorumCert short1 = new QuorumCert(7, block, signatures.subList(0, 2));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.verifyQc(short1, 3, config, verifier))
        .isInstanceOf(Rejected.class);
    QuorumCert otherView = new QuorumCert(8, block, signatures);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.verifyQc(otherView, 3, config, verifier))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void aProposalVerifiesOnlyFromItsLeaderWithItsDigest() throws Rejected {
    Crypto leader = new Crypto(keys.replica(1));
    Block block = new Block(1, QuorumCert.GENESIS, List.of(), 1);
    Proposal proposal = HotStuffAdapter.propose(block, leader);
    Crypto verifier = new Crypto(keys.replica(2));
    HotStuff.INSTANCE.verify(proposal, config.replica(1), config, verifier);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(proposal, config.replica(2), config, verifier))
        .isInstanceOf(Rejected.class);
    Proposal lying = new Proposal(block, digest(), proposal.signature());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(lying, config.replica(1), config, verifier))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void withHmacAProposalCarriesAMacForEachReplicaThatOnlyItsLeaderCanMake() throws Rejected {
    SimKeys hmac = new SimKeys(1, 4, Scheme.HMAC);
    Block block = new Block(1, QuorumCert.GENESIS, List.of(), 1);
    Proposal proposal = HotStuffAdapter.propose(block, new Crypto(hmac.replica(1)));
    assertThat(proposal.signature().length()).isEqualTo(4 * 32);
    for (int replica : new int[] {0, 2, 3}) {
      HotStuff.INSTANCE.verify(
          proposal, config.replica(1), config, new Crypto(hmac.replica(replica)));
    }
    Proposal byAnother = HotStuffAdapter.propose(block, new Crypto(hmac.replica(2)));
    Crypto verifier = new Crypto(hmac.replica(3));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(byAnother, config.replica(1), config, verifier))
        .isInstanceOf(Rejected.class);
    Proposal lying = new Proposal(block, digest(), proposal.signature());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> HotStuff.INSTANCE.verify(lying, config.replica(1), config, verifier))
        .isInstanceOf(Rejected.class);
  }

  @Test
  void aProposalsForgedQcIsRejectedByVerifyExceptAtItsVoteRecipientsWhichCheckItThemselves()
      throws Rejected {
    List<QuorumCert.Signature> forged = new ArrayList<>();
    for (int replica = 0; replica < 3; replica++) {
      forged.add(new QuorumCert.Signature(replica, bytes(64)));
    }
    QuorumCert qc = new QuorumCert(4, digest(), forged);
    Proposal proposal =
        HotStuffAdapter.propose(new Block(5, qc, List.of(), 1), new Crypto(keys.replica(1)));
    // Votes of view 4 go to the leaders of views 5 and 6: replicas 1 and 2.
    assertThat(HotStuff.qcCheckedByReplica(qc, 2, config)).isTrue();
    assertThat(HotStuff.qcCheckedByReplica(qc, 3, config)).isFalse();
    HotStuff.INSTANCE.verify(proposal, config.replica(1), config, new Crypto(keys.replica(2)));
    for (int replica : new int[] {0, 3}) {
      Crypto verifier = new Crypto(keys.replica(replica));
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> HotStuff.INSTANCE.verify(proposal, config.replica(1), config, verifier))
          .isInstanceOf(Rejected.class);
    }
  }

  private byte[] mutate(byte[] frame) {
    return switch (random.nextInt(4)) {
      case 0 -> Arrays.copyOf(frame, random.nextInt(frame.length));
      case 1 -> Arrays.copyOf(frame, frame.length + 1 + random.nextInt(8));
      default -> {
        byte[] copy = frame.clone();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield copy;
      }
    };
  }

  private static byte[] encode(HotStuffMessage message) {
    Writer out = new Writer();
    Frames.encode(HotStuff.INSTANCE, message, out);
    return out.toArray();
  }
}
