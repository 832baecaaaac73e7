package oskr.protocol.zyzzyva;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.Frames;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Checkpoint;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CheckpointProof;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Commit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.CommitCert;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Entry;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FetchState;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.FillHole;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.LocalCommit;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.NewView;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Pom;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Signature;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.SpecResponse;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.State;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.ViewChange;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Vote;

/** Every message round-trips; mutated frames decode to a message or fail only as malformed. */
class ZyzzyvaCodecTest {
  private final Random random = new Random(40);

  private long u64() {
    return random.nextInt(1000) + 1;
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
        random.nextLong(), u64(), new Address("127.0.0.1", 7000), bytes(30), bytes(33), bytes(64));
  }

  private List<Request> batch() {
    List<Request> batch = new ArrayList<>();
    for (int i = 1 + random.nextInt(3); i > 0; i--) batch.add(request());
    return batch;
  }

  private List<Signature> signatures() {
    return List.of(new Signature(0, bytes(64)), new Signature(2, bytes(64)));
  }

  private ViewChange viewChange() {
    CheckpointProof proof = new CheckpointProof(4, digest(), digest(), signatures());
    CommitCert cert = new CommitCert(2, 6, digest(), signatures());
    return new ViewChange(
        3,
        2,
        proof,
        Optional.of(cert),
        List.of(new Entry(5, batch()), new Entry(6, batch())),
        1,
        bytes(64));
  }

  private List<ZyzzyvaMessage> samples() {
    return List.of(
        request(),
        new OrderReq(u64(), u64(), digest(), digest(), batch(), bytes(64)),
        new OrderReq(u64(), u64(), digest(), digest(), batch(), bytes(64), bytes(4 * 32)),
        new SpecResponse(
            u64(),
            u64(),
            digest(),
            random.nextLong(),
            u64(),
            bytes(20),
            3,
            bytes(64),
            bytes(64),
            bytes(32)),
        new Commit(
            bytes(33),
            random.nextLong(),
            u64(),
            bytes(20),
            new CommitCert(u64(), u64(), digest(), signatures())),
        new LocalCommit(u64(), u64(), digest(), random.nextLong(), u64(), bytes(20), 2, bytes(32)),
        new FillHole(u64(), 3, 9, 1),
        new Vote(u64(), u64(), digest(), 0, bytes(64)),
        new Checkpoint(u64(), digest(), digest(), 2, bytes(64)),
        viewChange(),
        new NewView(3, List.of(viewChange(), viewChange()), 3, bytes(64)),
        new Pom(u64(), u64(), digest(), bytes(64), digest(), bytes(64)),
        new FetchState(u64(), 2),
        new State(new CheckpointProof(8, digest(), digest(), signatures()), bytes(100), 1));
  }

  private static byte[] frame(ZyzzyvaMessage message) {
    Writer out = new Writer(256);
    Frames.encode(Zyzzyva.INSTANCE, message, out);
    return out.toArray();
  }

  @Test
  void everyMessageRoundTrips() throws MalformedMessage {
    for (ZyzzyvaMessage message : samples()) {
      byte[] frame = frame(message);
      ZyzzyvaMessage decoded = Frames.decode(Zyzzyva.INSTANCE, frame, 0, frame.length);
      assertThat(decoded).as(message.getClass().getSimpleName()).isEqualTo(message);
      assertThat(frame(decoded)).isEqualTo(frame);
    }
  }

  @Test
  void mutatedFramesAreOnlyEverMalformed() {
    for (ZyzzyvaMessage message : samples()) {
      byte[] frame = frame(message);
      for (int i = 0; i < 300; i++) {
        byte[] mutated = frame.clone();
        int at = random.nextInt(mutated.length);
        mutated[at] ^= (byte) (1 << random.nextInt(8));
        int length = random.nextInt(4) == 0 ? random.nextInt(mutated.length) : mutated.length;
        try {
          Frames.decode(Zyzzyva.INSTANCE, mutated, 0, length);
        } catch (MalformedMessage e) {
          // expected for most mutations
        }
      }
    }
  }

  @Test
  void trailingBytesAndUnknownTagsAreMalformed() {
    byte[] frame = frame(new FetchState(3, 1));
    byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 1);
    assertThatThrownBy(() -> Frames.decode(Zyzzyva.INSTANCE, longer, 0, longer.length))
        .isInstanceOf(MalformedMessage.class);
    assertThatThrownBy(() -> ZyzzyvaCodec.INSTANCE.decode(new Reader(new byte[] {(byte) 99})))
        .isInstanceOf(MalformedMessage.class);
  }

  @Test
  void aViewChangeWithAGapInItsHistoryIsMalformed() {
    ViewChange good = viewChange();
    ViewChange gap =
        new ViewChange(
            good.newView(),
            good.historyView(),
            good.checkpoint(),
            good.cert(),
            List.of(new Entry(6, batch())),
            good.replica(),
            good.auth());
    byte[] frame = frame(gap);
    assertThatThrownBy(() -> Frames.decode(Zyzzyva.INSTANCE, frame, 0, frame.length))
        .isInstanceOf(MalformedMessage.class);
  }
}
