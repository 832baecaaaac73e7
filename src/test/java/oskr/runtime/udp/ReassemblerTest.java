package oskr.runtime.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.Limits;

class ReassemblerTest {
  private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.1", 1000);
  private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.1", 2000);
  private final DropCounters drops = new DropCounters();
  private final Reassembler reassembler = new Reassembler(drops);
  private final Random random = new Random(42);

  /** The datagrams a FrameSender makes of {@code frame}, captured instead of sent. */
  private static List<byte[]> fragment(byte[] frame, long frameId) {
    List<byte[]> datagrams = new ArrayList<>();
    int count = Fragments.count(frame.length);
    for (int index = 0; index < count; index++) {
      int payload = Fragments.payloadLength(frame.length, index, count);
      byte[] datagram = new byte[Fragments.HEADER_LENGTH + payload];
      Fragments.writeHeader(datagram, frameId, frame.length, index, count);
      System.arraycopy(
          frame, index * Fragments.PAYLOAD_MAX, datagram, Fragments.HEADER_LENGTH, payload);
      datagrams.add(datagram);
    }
    return datagrams;
  }

  private byte[] randomFrame(int length) {
    byte[] frame = new byte[length];
    random.nextBytes(frame);
    return frame;
  }

  private byte[] feed(InetSocketAddress from, List<byte[]> datagrams, long now) {
    byte[] whole = null;
    for (byte[] datagram : datagrams) {
      byte[] result = reassembler.accept(from, datagram, now);
      if (result != null) whole = result;
    }
    return whole;
  }

  @Test
  void fragmentsInAnyOrderGiveBackTheFrame() {
    byte[] frame = randomFrame(200 * 1024);
    List<byte[]> datagrams = fragment(frame, 7);
    Collections.shuffle(datagrams, random);

    assertThat(datagrams).hasSize(4);
    assertThat(feed(ALICE, datagrams, 0)).isEqualTo(frame);
    assertThat(reassembler.partialCount()).isZero();
    assertThat(reassembler.partialBytes()).isZero();
    assertThat(drops.total()).isZero();
  }

  @Test
  void theLargestFrameFitsAndOneByteMoreIsMalformed() {
    byte[] frame = randomFrame(Limits.FRAME_MAX);
    assertThat(feed(ALICE, fragment(frame, 1), 0)).isEqualTo(frame);

    byte[] header = new byte[Fragments.HEADER_LENGTH + 1];
    Fragments.writeHeader(
        header, 2, Limits.FRAME_MAX + 1, 0, Fragments.count(Limits.FRAME_MAX + 1));
    assertThat(reassembler.accept(ALICE, header, 0)).isNull();
    assertThat(drops.get(Reassembler.MALFORMED)).isEqualTo(1);
  }

  @Test
  void interleavedFramesOfTwoSendersStayApart() {
    byte[] fromAlice = randomFrame(150_000);
    byte[] fromBob = randomFrame(150_000);
    List<byte[]> a = fragment(fromAlice, 5);
    List<byte[]> b = fragment(fromBob, 5); // same frame id, other sender
    byte[] wholeA = null;
    byte[] wholeB = null;
    for (int i = 0; i < a.size(); i++) {
      byte[] resultA = reassembler.accept(ALICE, a.get(i), 0);
      byte[] resultB = reassembler.accept(BOB, b.get(i), 0);
      if (resultA != null) wholeA = resultA;
      if (resultB != null) wholeB = resultB;
    }
    assertThat(wholeA).isEqualTo(fromAlice);
    assertThat(wholeB).isEqualTo(fromBob);
  }

  @Test
  void aDuplicateFragmentIsCountedAndIgnored() {
    byte[] frame = randomFrame(100_000);
    List<byte[]> datagrams = fragment(frame, 9);
    assertThat(reassembler.accept(ALICE, datagrams.get(0), 0)).isNull();
    assertThat(reassembler.accept(ALICE, datagrams.get(0), 0)).isNull();
    assertThat(reassembler.accept(ALICE, datagrams.get(1), 0)).isEqualTo(frame);
    assertThat(drops.get(Reassembler.DUPLICATE)).isEqualTo(1);
  }

  @Test
  void everyBrokenHeaderIsMalformed() {
    byte[] good = fragment(randomFrame(100_000), 3).get(0);
    List<byte[]> broken = new ArrayList<>();
    broken.add(new byte[] {(byte) Fragments.MARKER, 1, 2});
    broken.add(withLength(good, Limits.DATAGRAM_MAX)); // a frame that would fit one datagram
    broken.add(withLength(good, -5));
    byte[] badIndex = good.clone();
    badIndex[13] = (byte) 0xff;
    broken.add(badIndex);
    byte[] badCount = good.clone();
    badCount[16] = 9;
    broken.add(badCount);
    broken.add(java.util.Arrays.copyOf(good, good.length - 1)); // payload too short
    for (byte[] datagram : broken) assertThat(reassembler.accept(ALICE, datagram, 0)).isNull();

    assertThat(drops.get(Reassembler.MALFORMED)).isEqualTo(broken.size());
    assertThat(reassembler.partialCount()).isZero();
  }

  @Test
  void aFragmentDisagreeingOnTheFrameLengthIsMalformed() {
    List<byte[]> first = fragment(randomFrame(100_000), 4);
    List<byte[]> other = fragment(randomFrame(200_000), 4);
    reassembler.accept(ALICE, first.get(0), 0);
    assertThat(reassembler.accept(ALICE, other.get(1), 0)).isNull();
    assertThat(drops.get(Reassembler.MALFORMED)).isEqualTo(1);
  }

  private static byte[] withLength(byte[] datagram, int frameLength) {
    byte[] copy = datagram.clone();
    for (int i = 0; i < 4; i++) copy[9 + i] = (byte) (frameLength >>> (24 - 8 * i));
    return copy;
  }

  @Test
  void oneSenderHoldsAtMostItsShareOfPartialFrames() {
    for (long frameId = 0; frameId < Reassembler.PARTIALS_PER_SENDER_MAX + 3; frameId++) {
      reassembler.accept(ALICE, fragment(randomFrame(100_000), frameId).get(0), 0);
    }
    assertThat(reassembler.partialCount()).isEqualTo(Reassembler.PARTIALS_PER_SENDER_MAX);
    assertThat(drops.get(Reassembler.EVICTED)).isEqualTo(3);
  }

  @Test
  void partialFramesInAllAreBoundedByCountAndBytes() {
    for (int sender = 0; sender < Reassembler.PARTIALS_MAX + 10; sender++) {
      InetSocketAddress from = new InetSocketAddress("127.0.0.1", 10_000 + sender);
      reassembler.accept(from, fragment(randomFrame(100_000), 1).get(0), 0);
    }
    assertThat(reassembler.partialCount()).isEqualTo(Reassembler.PARTIALS_MAX);

    // Half-sent maximal frames: the byte budget evicts the oldest.
    for (int sender = 0; sender < 5; sender++) {
      InetSocketAddress from = new InetSocketAddress("127.0.0.2", 10_000 + sender);
      List<byte[]> datagrams = fragment(new byte[Limits.FRAME_MAX], 2);
      feed(from, datagrams.subList(0, datagrams.size() - 1), 0);
      assertThat(reassembler.partialBytes()).isLessThanOrEqualTo(Reassembler.PARTIAL_BYTES_MAX);
    }
    assertThat(drops.get(Reassembler.EVICTED)).isGreaterThan(10);
  }

  @Test
  void partialFramesExpire() {
    List<byte[]> datagrams = fragment(randomFrame(100_000), 11);
    reassembler.accept(ALICE, datagrams.get(0), 0);
    long later = Reassembler.PARTIAL_TIMEOUT.toNanos() + 1;

    assertThat(reassembler.accept(ALICE, datagrams.get(1), later)).isNull(); // starts over
    assertThat(drops.get(Reassembler.EXPIRED)).isEqualTo(1);
    assertThat(reassembler.partialCount()).isEqualTo(1);
  }
}
