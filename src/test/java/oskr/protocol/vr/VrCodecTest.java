package oskr.protocol.vr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.protocol.ClientTable;
import oskr.protocol.Frames;
import oskr.protocol.Options;
import oskr.protocol.Rejected;
import oskr.protocol.vr.VrMessage.Commit;
import oskr.protocol.vr.VrMessage.DoViewChange;
import oskr.protocol.vr.VrMessage.GetSnapshot;
import oskr.protocol.vr.VrMessage.GetState;
import oskr.protocol.vr.VrMessage.NewState;
import oskr.protocol.vr.VrMessage.Prepare;
import oskr.protocol.vr.VrMessage.PrepareOk;
import oskr.protocol.vr.VrMessage.Recovery;
import oskr.protocol.vr.VrMessage.RecoveryResponse;
import oskr.protocol.vr.VrMessage.Reply;
import oskr.protocol.vr.VrMessage.Request;
import oskr.protocol.vr.VrMessage.StartView;
import oskr.protocol.vr.VrMessage.StartViewChange;
import oskr.sim.SimKeys;
import oskr.sim.SimulationBuilder;

/**
 * Every message round-trips; mutated frames decode to a message or fail only as malformed; the
 * client table a checkpoint carries round-trips too.
 */
class VrCodecTest {
  private final Random random = new Random(11);

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

  private Request request() {
    return new Request(random.nextLong(), u64(), bytes(40));
  }

  private List<Request> requests(int min) {
    List<Request> requests = new ArrayList<>();
    for (int i = min + random.nextInt(4); i > 0; i--) requests.add(request());
    return requests;
  }

  private LogSegment segment() {
    return new LogSegment(1 + random.nextInt(1000), requests(1));
  }

  private List<VrMessage> samples() {
    LogSegment log = segment();
    long view = 5 + random.nextInt(100);
    int replica = random.nextInt(3);
    return List.of(
        request(),
        new Reply(view, random.nextLong(), u64(), bytes(30), 0),
        new Reply(view, random.nextLong(), u64(), Bytes.EMPTY, u64()),
        new Prepare(view, log.firstOp(), log.firstOp() - 1, log.entries()),
        new PrepareOk(view, u64(), replica),
        new Commit(view, u64()),
        new StartViewChange(view, replica),
        new DoViewChange(view, view - 2, log.firstOp(), log, replica),
        new StartView(view, log.lastOp(), log),
        new Recovery(replica, random.nextLong()),
        new RecoveryResponse(view, random.nextLong(), true, log.firstOp(), log, replica),
        new RecoveryResponse(view, random.nextLong(), false, 0, LogSegment.empty(1), replica),
        new GetState(view, u64(), replica),
        new NewState(view, log.lastOp() + 3, log.lastOp(), log.firstOp() - 1, log, replica),
        new GetSnapshot(u64(), random.nextInt(100), replica),
        new SnapshotChunk(u64(), SnapshotImage.CHUNK_BYTES + 10, 1, tail(10), replica));
  }

  /** The last chunk's bytes of a state {@code length} bytes past one chunk. */
  private Bytes tail(int length) {
    byte[] data = new byte[length];
    random.nextBytes(data);
    return Bytes.adopt(data);
  }

  @Test
  void everyMessageRoundTrips() throws MalformedMessage {
    for (int round = 0; round < 20; round++) {
      for (VrMessage message : samples()) {
        byte[] frame = encode(message);
        assertThat(Frames.decode(Vr.INSTANCE, frame, 0, frame.length)).isEqualTo(message);
      }
    }
  }

  @Test
  void mutatedFramesAreMalformedOrRejectedNeverAnotherException() {
    Config config = SimulationBuilder.replicaConfig(3, 1);
    Crypto crypto = new Crypto(new SimKeys(1, 3, Options.defaults().scheme()).replica(1));
    int decoded = 0;
    for (int round = 0; round < 300; round++) {
      for (VrMessage message : samples()) {
        byte[] frame = mutate(encode(message));
        VrMessage result;
        try {
          result = Frames.decode(Vr.INSTANCE, frame, 0, frame.length);
        } catch (MalformedMessage e) {
          assertThat(e.reason()).isNotEmpty();
          continue;
        }
        decoded++;
        try {
          Vr.INSTANCE.verify(result, config.replica(random.nextInt(3)), config, crypto);
        } catch (Rejected e) {
          assertThat(e.reason()).isNotEmpty();
        }
      }
    }
    assertThat(decoded).as("some mutations still decode").isPositive();
  }

  @Test
  void theClientTableOfACheckpointRoundTrips() throws MalformedMessage {
    ClientTable<Reply> table = new ClientTable<>(2);
    for (long client = 1; client <= 3; client++) { // the third evicts the first
      table.start(client, 7);
      table.finish(client, 7, new Reply(1, client, 7, Bytes.utf8("r" + client), 0));
    }
    Writer out = new Writer();
    table.encode(out, (writer, reply) -> reply.encodeBody(writer));
    ClientTable<Reply> copy = ClientTable.decode(new Reader(out.toArray()), 2, Reply::decodeBody);
    assertThat(copy.size()).isEqualTo(2);
    assertThat(copy.lowWater()).isEqualTo(table.lowWater());
    assertThat(copy.reply(3).result()).isEqualTo(Bytes.utf8("r3"));
    assertThat(copy.check(1, 8)).isEqualTo(table.check(1, 8));
    assertThat(copy.check(2, 7)).isEqualTo(ClientTable.Verdict.RESEND_REPLY);
    Writer again = new Writer();
    copy.encode(again, (writer, reply) -> reply.encodeBody(writer));
    assertThat(again.toBytes()).isEqualTo(out.toBytes());
  }

  private byte[] mutate(byte[] frame) {
    return switch (random.nextInt(4)) {
      case 0 -> Arrays.copyOf(frame, random.nextInt(frame.length)); // truncate
      case 1 -> Arrays.copyOf(frame, frame.length + 1 + random.nextInt(8)); // extend
      default -> {
        byte[] copy = frame.clone();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
          copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield copy;
      }
    };
  }

  private static byte[] encode(VrMessage message) {
    Writer out = new Writer();
    Frames.encode(Vr.INSTANCE, message, out);
    return out.toArray();
  }
}
