package oskr.protocol.unreplicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Writer;
import oskr.protocol.Frames;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;
import oskr.protocol.unreplicated.UnreplicatedMessage.Request;

class UnreplicatedCodecTest {
  private static final List<Unreplicated> PROTOCOLS =
      List.of(Unreplicated.PLAIN, Unreplicated.SIGNED);
  private static final int FUZZ_FRAMES = 20_000;
  private static final int FUZZ_MUTATIONS = 20_000;

  private static Bytes bytes(int length, int seed) {
    byte[] data = new byte[length];
    new Random(seed).nextBytes(data);
    return Bytes.adopt(data);
  }

  /** One of each message type, with empty, small and large fields and extreme numbers. */
  private static List<UnreplicatedMessage> samples() {
    return List.of(
        new Request(1, 1, Bytes.EMPTY),
        new Request(-1, Long.MAX_VALUE, bytes(64, 1)),
        new Request(Long.MIN_VALUE, 42, bytes(1000, 2)),
        new Reply(1, 1, Bytes.EMPTY, Bytes.EMPTY),
        new Reply(7, 99, bytes(64, 3), bytes(64, 4)),
        new Reply(Long.MAX_VALUE, Long.MAX_VALUE, bytes(3, 5), bytes(Limits.SIGNATURE_MAX, 6)),
        new Reply(3, 5, Bytes.EMPTY, Long.MAX_VALUE, bytes(64, 7)));
  }

  private static byte[] encode(Unreplicated protocol, UnreplicatedMessage message) {
    Writer out = new Writer();
    Frames.encode(protocol, message, out);
    return out.toArray();
  }

  private static UnreplicatedMessage decode(Unreplicated protocol, byte[] frame)
      throws MalformedMessage {
    return Frames.decode(protocol, frame, 0, frame.length);
  }

  private static String reasonOf(Unreplicated protocol, byte[] frame) {
    try {
      UnreplicatedMessage message = decode(protocol, frame);
      throw new AssertionError("decoded a bad frame as " + message);
    } catch (MalformedMessage e) {
      return e.reason();
    }
  }

  @Test
  void everyMessageRoundTripsThroughFramesOfBothVariants() throws MalformedMessage {
    for (Unreplicated protocol : PROTOCOLS) {
      for (UnreplicatedMessage message : samples()) {
        byte[] frame = encode(protocol, message);
        assertThat(frame[0]).isEqualTo((byte) Frames.VERSION);
        assertThat(frame[1]).isEqualTo((byte) protocol.id());
        assertThat(decode(protocol, frame)).isEqualTo(message);
        assertThat(encode(protocol, message)).as("canonical").isEqualTo(frame);
      }
    }
  }

  @Test
  void aFrameInsideALargerBufferDecodes() throws MalformedMessage {
    Request request = new Request(5, 6, bytes(10, 7));
    byte[] frame = encode(Unreplicated.PLAIN, request);
    byte[] buffer = new byte[frame.length + 20];
    Arrays.fill(buffer, (byte) 0x5a);
    System.arraycopy(frame, 0, buffer, 11, frame.length);
    assertThat(Frames.decode(Unreplicated.PLAIN, buffer, 11, frame.length)).isEqualTo(request);
  }

  @Test
  void everyStrictPrefixIsMalformed() {
    for (UnreplicatedMessage message : samples()) {
      byte[] frame = encode(Unreplicated.SIGNED, message);
      for (int length = 0; length < frame.length; length++) {
        byte[] prefix = Arrays.copyOf(frame, length);
        assertThat(reasonOf(Unreplicated.SIGNED, prefix)).as("prefix of " + length).isNotEmpty();
      }
    }
  }

  @Test
  void aTrailingByteIsMalformed() {
    for (UnreplicatedMessage message : samples()) {
      byte[] frame = encode(Unreplicated.PLAIN, message);
      byte[] longer = Arrays.copyOf(frame, frame.length + 1);
      assertThat(reasonOf(Unreplicated.PLAIN, longer)).isEqualTo("trailing bytes");
    }
  }

  @Test
  void headerAndTagAreChecked() {
    byte[] frame = encode(Unreplicated.PLAIN, new Request(1, 2, Bytes.EMPTY));
    byte[] version = frame.clone();
    version[0] = (byte) (Frames.VERSION + 1);
    assertThat(reasonOf(Unreplicated.PLAIN, version)).isEqualTo("unknown version");
    assertThat(reasonOf(Unreplicated.SIGNED, frame)).isEqualTo("wrong protocol");
    for (int tag : new int[] {0, 3, 0x7f, 0xff}) {
      byte[] unknown = frame.clone();
      unknown[Frames.HEADER_LENGTH] = (byte) tag;
      assertThat(reasonOf(Unreplicated.PLAIN, unknown)).as("tag " + tag).isEqualTo("unknown tag");
    }
  }

  @Test
  void requestNumbersMustBePositive() {
    for (int tag : new int[] {Request.TAG, Reply.TAG}) {
      Writer zero = new Writer().u8(Frames.VERSION).u8(1).u8(tag).i64(1).i64(0).u32(0).u32(0);
      String reason = reasonOf(Unreplicated.PLAIN, Arrays.copyOf(zero.toArray(), tagEnd(tag)));
      assertThat(reason).endsWith(".requestNumber");
      Writer negative = new Writer().u8(Frames.VERSION).u8(1).u8(tag).i64(1).i64(-1).u32(0);
      assertThat(reasonOf(Unreplicated.PLAIN, negative.toArray())).isEqualTo("u64 out of range");
    }
  }

  /** The length of a minimal frame with tag {@code tag} and empty fields. */
  private static int tagEnd(int tag) {
    return Frames.HEADER_LENGTH + 1 + 8 + 8 + 4 + (tag == Reply.TAG ? 4 : 0);
  }

  @Test
  void anOpOfOpMaxIsAcceptedAndOneByteMoreIsRejected() throws MalformedMessage {
    Request largest = new Request(1, 1, Bytes.adopt(new byte[Limits.OP_MAX]));
    assertThat(decode(Unreplicated.PLAIN, encode(Unreplicated.PLAIN, largest))).isEqualTo(largest);
    Request tooLarge = new Request(1, 1, Bytes.adopt(new byte[Limits.OP_MAX + 1]));
    assertThat(reasonOf(Unreplicated.PLAIN, encode(Unreplicated.PLAIN, tooLarge)))
        .isEqualTo("field too long");
    Reply tooLargeResult = new Reply(1, 1, Bytes.adopt(new byte[Limits.OP_MAX + 1]), Bytes.EMPTY);
    assertThat(reasonOf(Unreplicated.PLAIN, encode(Unreplicated.PLAIN, tooLargeResult)))
        .isEqualTo("field too long");
  }

  @Test
  void anOverlongSignatureIsRejected() {
    Reply reply = new Reply(1, 1, Bytes.EMPTY, Bytes.adopt(new byte[Limits.SIGNATURE_MAX + 1]));
    assertThat(reasonOf(Unreplicated.SIGNED, encode(Unreplicated.SIGNED, reply)))
        .isEqualTo("field too long");
  }

  @Test
  void aFrameOverFrameMaxIsRejectedBeforeItIsRead() {
    byte[] valid = encode(Unreplicated.PLAIN, new Request(1, 1, Bytes.EMPTY));
    byte[] oversized = Arrays.copyOf(valid, Limits.FRAME_MAX + 1);
    assertThat(reasonOf(Unreplicated.PLAIN, oversized)).isEqualTo("oversized");
  }

  @Test
  void randomFramesYieldOnlyMalformedMessageOrAMessageThatReencodesIdentically() {
    Random random = new Random(0x5eed);
    Set<String> reasons = new TreeSet<>();
    for (int i = 0; i < FUZZ_FRAMES; i++) {
      byte[] frame = new byte[random.nextInt(64)];
      random.nextBytes(frame);
      if (frame.length >= 3 && random.nextBoolean()) {
        // Past the header and tag half the time, so the fuzz reaches the message decoders.
        frame[0] = (byte) Frames.VERSION;
        frame[1] = (byte) PROTOCOLS.get(random.nextInt(2)).id();
        frame[2] = (byte) (1 + random.nextInt(2));
        if (frame.length > 11) frame[11] &= 0x7f; // a positive request number, mostly
      }
      decodesConsistently(frame, "random frame " + i, reasons);
    }
    // The fuzz got past each check on the way in, not just the first byte.
    assertThat(reasons)
        .contains(
            "unknown version", "wrong protocol", "unknown tag", "truncated", "field too long");
  }

  @Test
  void singleByteMutationsYieldOnlyMalformedMessageOrAMessageThatReencodesIdentically() {
    Random random = new Random(0xbadc0de);
    List<byte[]> valid =
        samples().stream()
            .flatMap(message -> PROTOCOLS.stream().map(protocol -> encode(protocol, message)))
            .toList();
    Set<String> reasons = new TreeSet<>();
    int decoded = 0;
    for (int i = 0; i < FUZZ_MUTATIONS; i++) {
      byte[] frame = valid.get(random.nextInt(valid.size())).clone();
      int position = random.nextInt(frame.length);
      frame[position] = (byte) (frame[position] ^ (1 + random.nextInt(255)));
      if (decodesConsistently(frame, "mutation " + i + " at " + position, reasons)) decoded++;
    }
    // Mutations of op, result or signature bytes still decode: both outcomes must occur.
    assertThat(decoded).isBetween(1, FUZZ_MUTATIONS - 1);
    assertThat(reasons).contains("truncated", "trailing bytes", "u64 out of range");
  }

  /**
   * Decodes {@code frame} with both variants: it must either be malformed (the reason goes into
   * {@code reasons}) or decode to a message whose encoding is exactly {@code frame}. Any other
   * exception fails the test and shows the frame.
   *
   * @return whether some variant decoded it
   */
  private static boolean decodesConsistently(byte[] frame, String what, Set<String> reasons) {
    boolean decodedAny = false;
    for (Unreplicated protocol : PROTOCOLS) {
      try {
        UnreplicatedMessage message = decode(protocol, frame);
        assertThat(encode(protocol, message)).as(what).isEqualTo(frame);
        decodedAny = true;
      } catch (MalformedMessage e) {
        reasons.add(e.reason());
      } catch (RuntimeException | Error e) {
        throw new AssertionError(
            what + ": " + e + " decoding " + HexFormat.of().formatHex(frame), e);
      }
    }
    return decodedAny;
  }
}
