package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.crypto.Crypto;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.Rejected;
import oskr.protocol.pbft.PbftMessage.Checkpoint;
import oskr.protocol.pbft.PbftMessage.Commit;
import oskr.protocol.pbft.PbftMessage.FetchLog;
import oskr.protocol.pbft.PbftMessage.FetchState;
import oskr.protocol.pbft.PbftMessage.PrePrepare;
import oskr.protocol.pbft.PbftMessage.Prepare;
import oskr.protocol.pbft.PbftMessage.Reply;
import oskr.protocol.pbft.PbftMessage.Request;
import oskr.protocol.pbft.ViewChange.PreparedProof;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/** Every message round-trips; mutated frames decode to a message or fail only as malformed. */
class PbftCodecTest {
  private final Random random = new Random(7);

  private long u64() {
    return random.nextBoolean() ? random.nextInt(1000) + 1 : random.nextLong() & Long.MAX_VALUE | 1;
  }

  /** The second and last chunk of a state a little larger than one chunk. */
  private StateChunk stateChunk() {
    byte[] data = new byte[1 + random.nextInt(100)];
    random.nextBytes(data);
    return new StateChunk(
        u64(),
        digest(),
        List.of(checkpoint()),
        1,
        StateChunk.CHUNK_BYTES + data.length,
        Bytes.adopt(data),
        List.of(digest(), digest()));
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
    Address client = new Address("10.0.1." + random.nextInt(255), 1 + random.nextInt(65535));
    return new Request(random.nextLong(), u64(), client, bytes(40), bytes(33), bytes(128));
  }

  private PrePrepare prePrepare() {
    List<Request> batch = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) batch.add(request());
    return new PrePrepare(u64(), u64(), digest(), batch, bytes(64));
  }

  private Prepare prepare() {
    return new Prepare(u64(), u64(), digest(), random.nextInt(4), bytes(64));
  }

  private Commit commit() {
    return new Commit(u64(), u64(), digest(), random.nextInt(4), bytes(64));
  }

  private Checkpoint checkpoint() {
    return new Checkpoint(u64(), digest(), random.nextInt(4), bytes(64));
  }

  private ViewChange viewChange() {
    List<PreparedProof> prepared = new ArrayList<>();
    for (int i = random.nextInt(3); i > 0; i--)
      prepared.add(new PreparedProof(prePrepare(), List.of(prepare(), prepare())));
    return new ViewChange(
        u64(),
        u64(),
        List.of(checkpoint(), checkpoint(), checkpoint()),
        prepared,
        List.of(new ViewChange.PrePrepared(u64(), digest(), u64())),
        random.nextInt(4),
        bytes(64));
  }

  private List<PbftMessage> samples() {
    return List.of(
        request(),
        new Reply(u64(), random.nextLong(), u64(), random.nextInt(4), bytes(30), bytes(64)),
        new Reply(
            u64(), random.nextLong(), u64(), random.nextInt(4), Bytes.EMPTY, u64(), bytes(64)),
        prePrepare(),
        new PrePrepare(3, 9, Batches.NULL_DIGEST, List.of(), Bytes.EMPTY),
        prepare(),
        commit(),
        checkpoint(),
        viewChange(),
        new NewView(u64(), List.of(viewChange(), viewChange()), List.of(prePrepare()), bytes(64)),
        new FetchState(u64(), random.nextInt(100), random.nextInt(4)),
        stateChunk(),
        new FetchLog(u64(), random.nextInt(4)),
        new CommittedProof(prePrepare(), List.of(commit(), commit(), commit())),
        new Reject(u64(), u64(), digest(), List.of(0, random.nextInt(100)), 2, bytes(64)));
  }

  @Test
  void everyMessageRoundTrips() throws MalformedMessage {
    for (int round = 0; round < 20; round++) {
      for (PbftMessage message : samples()) {
        byte[] frame = encode(message);
        assertThat(Frames.decode(Pbft.INSTANCE, frame, 0, frame.length)).isEqualTo(message);
      }
    }
  }

  @Test
  void mutatedFramesAreMalformedOrRejectedNeverAnotherException() {
    Config config = SimulationBuilder.replicaConfig(4, 1);
    Crypto crypto = new Crypto(new SimKeys(1, 4, Options.defaults().scheme()).replica(1));
    int decoded = 0;
    for (int round = 0; round < 300; round++) {
      for (PbftMessage message : samples()) {
        byte[] frame = mutate(encode(message));
        PbftMessage result;
        try {
          result = Frames.decode(Pbft.INSTANCE, frame, 0, frame.length);
        } catch (MalformedMessage e) {
          assertThat(e.reason()).isNotEmpty();
          continue;
        }
        decoded++;
        try {
          Pbft.INSTANCE.verify(result, config.replica(random.nextInt(4)), config, crypto);
        } catch (Rejected e) {
          assertThat(e.reason()).isNotEmpty();
        }
      }
    }
    assertThat(decoded).as("some mutations still decode").isPositive();
  }

  private byte[] mutate(byte[] frame) {
    return switch (random.nextInt(4)) {
      case 0 -> java.util.Arrays.copyOf(frame, random.nextInt(frame.length)); // truncate
      case 1 -> java.util.Arrays.copyOf(frame, frame.length + 1 + random.nextInt(8)); // extend
      default -> {
        byte[] copy = frame.clone();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield copy;
      }
    };
  }

  private static byte[] encode(PbftMessage message) {
    oskr.core.Writer out = new oskr.core.Writer();
    Frames.encode(Pbft.INSTANCE, message, out);
    return out.toArray();
  }
}
