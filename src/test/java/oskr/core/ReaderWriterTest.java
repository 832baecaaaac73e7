package oskr.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ReaderWriterTest {
  /** Runs {@code read} and returns the reason of the MalformedMessage it must throw. */
  private static String reasonOf(Read read) {
    try {
      read.run();
      throw new AssertionError("no MalformedMessage");
    } catch (MalformedMessage e) {
      return e.reason();
    }
  }

  @FunctionalInterface
  private interface Read {
    void run() throws MalformedMessage;
  }

  @Test
  void everyFieldRoundTrips() throws MalformedMessage {
    Digest digest = new Digest(1, -2, Long.MIN_VALUE, Long.MAX_VALUE);
    Bytes payload = Bytes.utf8("payload");
    Writer out =
        new Writer(1)
            .u8(0xff)
            .bool(true)
            .bool(false)
            .u16(0xfffe)
            .i32(-5)
            .u32(Integer.MAX_VALUE)
            .i64(-7)
            .u64(Long.MAX_VALUE)
            .bytes(payload)
            .bytes(Bytes.EMPTY)
            .digest(digest)
            .u8(3)
            .u32(2);
    out.raw(new byte[] {9, 8, 7}, 1, 2);
    Reader in = new Reader(out.toArray());
    assertThat(in.u8()).isEqualTo(0xff);
    assertThat(in.bool()).isTrue();
    assertThat(in.bool()).isFalse();
    assertThat(in.u16()).isEqualTo(0xfffe);
    assertThat(in.i32()).isEqualTo(-5);
    assertThat(in.u32()).isEqualTo(Integer.MAX_VALUE);
    assertThat(in.i64()).isEqualTo(-7);
    assertThat(in.u64()).isEqualTo(Long.MAX_VALUE);
    assertThat(in.bytes(100)).isEqualTo(payload);
    assertThat(in.bytes(0)).isEqualTo(Bytes.EMPTY);
    assertThat(in.digest()).isEqualTo(digest);
    assertThat(in.replicaIndex(4)).isEqualTo(3);
    assertThat(in.count(2)).isEqualTo(2);
    assertThat(in.u8()).isEqualTo(8);
    assertThat(in.u8()).isEqualTo(7);
    assertThat(in.remaining()).isZero();
    in.end();
  }

  @Test
  void encodingIsBigEndian() {
    byte[] bytes = new Writer().u16(0x0102).i32(0x03040506).i64(0x0708090a0b0c0d0eL).toArray();
    assertThat(bytes).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
  }

  @Test
  void writerGrowsAndIsReusableAfterReset() {
    Writer out = new Writer(16);
    Bytes big = Bytes.adopt(new byte[10_000]);
    out.bytes(big);
    assertThat(out.position()).isEqualTo(4 + 10_000);
    out.reset().u8(42);
    assertThat(out.position()).isEqualTo(1);
    assertThat(out.toBytes()).isEqualTo(Bytes.copyOf(new byte[] {42}));
    assertThat(out.buffer()[0]).isEqualTo((byte) 42);
  }

  @Test
  void everyReadPastTheEndIsTruncated() {
    byte[] seven = new byte[7];
    assertThat(reasonOf(() -> new Reader(new byte[0]).u8())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(new byte[1]).u16())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(new byte[3]).i32())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(new byte[3]).u32())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(seven).i64())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(seven).u64())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(new byte[31]).digest())).isEqualTo("truncated");
    assertThat(reasonOf(() -> new Reader(new byte[0]).bool())).isEqualTo("truncated");
    byte[] claimsFive = new Writer().u32(5).raw(new byte[4], 0, 4).toArray();
    assertThat(reasonOf(() -> new Reader(claimsFive).bytes(100))).isEqualTo("truncated");
  }

  @Test
  void aSliceEndsAtItsLengthNotAtTheArraysEnd() throws MalformedMessage {
    byte[] data = {1, 2, 3, 4, 5, 6};
    Reader in = new Reader(data, 2, 2);
    assertThat(in.u8()).isEqualTo(3);
    assertThat(in.u8()).isEqualTo(4);
    assertThat(in.remaining()).isZero();
    assertThat(reasonOf(in::u8)).isEqualTo("truncated");
    assertThat(in.array()).isSameAs(data);
  }

  @Test
  void aSliceOutsideTheArrayIsAProgrammingError() {
    byte[] data = new byte[8];
    assertThatThrownBy(() -> new Reader(data, -1, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reader(data, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reader(data, 4, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Reader(data, 1, Integer.MAX_VALUE))
        .as("offset + length overflows")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outOfRangeValuesAreMalformed() {
    byte[] minusOne = new Writer().i64(-1).toArray();
    assertThat(reasonOf(() -> new Reader(minusOne).u64())).isEqualTo("u64 out of range");
    byte[] minValue = new Writer().i64(Long.MIN_VALUE).toArray();
    assertThat(reasonOf(() -> new Reader(minValue).u64())).isEqualTo("u64 out of range");
    byte[] negative32 = new Writer().i32(-1).toArray();
    assertThat(reasonOf(() -> new Reader(negative32).u32())).isEqualTo("u32 out of range");
    assertThat(reasonOf(() -> new Reader(new byte[] {2}).bool())).isEqualTo("bad boolean");
    assertThat(reasonOf(() -> new Reader(new byte[] {4}).replicaIndex(4)))
        .isEqualTo("replica index out of range");
    assertThat(reasonOf(() -> new Reader(new byte[] {(byte) 0xff}).replicaIndex(64)))
        .isEqualTo("replica index out of range");
  }

  @Test
  void countsAndLengthsAreCheckedBeforeAnythingIsAllocated() {
    byte[] count5 = new Writer().u32(5).toArray();
    assertThat(reasonOf(() -> new Reader(count5).count(4))).isEqualTo("count too large");
    byte[] hugeCount = new Writer().i32(-1).toArray(); // 4 Gi as u32
    assertThat(reasonOf(() -> new Reader(hugeCount).count(Integer.MAX_VALUE)))
        .isEqualTo("u32 out of range");
    byte[] tooLong = new Writer().bytes(Bytes.adopt(new byte[11])).toArray();
    assertThat(reasonOf(() -> new Reader(tooLong).bytes(10))).isEqualTo("field too long");
    byte[] hugeLength = new Writer().u32(Integer.MAX_VALUE).toArray();
    assertThat(reasonOf(() -> new Reader(hugeLength).bytes(Integer.MAX_VALUE)))
        .isEqualTo("truncated");
  }

  @Test
  void leftoverBytesAreMalformed() throws MalformedMessage {
    Reader in = new Reader(new byte[] {1, 2});
    in.u8();
    assertThat(reasonOf(in::end)).isEqualTo("trailing bytes");
    in.u8();
    in.end();
  }

  @Test
  void malformedMessageIsCheapAndCarriesItsReason() {
    MalformedMessage e = MalformedMessage.of("truncated");
    assertThat(e.reason()).isEqualTo("truncated");
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void bytesHaveValueSemantics() {
    byte[] source = {1, 2, 3};
    Bytes copy = Bytes.copyOf(source);
    source[0] = 9;
    assertThat(copy.get(0)).isEqualTo((byte) 1);
    assertThat(copy).isEqualTo(Bytes.copyOf(new byte[] {1, 2, 3})).hasSameHashCodeAs(
        Bytes.copyOf(new byte[] {1, 2, 3}));
    assertThat(copy.toArray()).isNotSameAs(copy.toArray());
    assertThat(Bytes.copyOf(new byte[] {9, 1, 2, 3, 9}, 1, 3)).isEqualTo(copy);
    assertThat(Bytes.copyOf(new byte[0])).isSameAs(Bytes.EMPTY);
    assertThat(Bytes.copyOf(new byte[] {(byte) 0x80})).isGreaterThan(Bytes.copyOf(new byte[] {1}));
    assertThat(Bytes.utf8("hé").utf8String()).isEqualTo("hé");
    assertThat(Bytes.copyOf(new byte[] {(byte) 0xab}).hex()).isEqualTo("ab");
    assertThat(Bytes.adopt(new byte[40]).toString()).endsWith("(40 B)");
  }

  @Test
  void randomFieldSequencesRoundTrip() throws MalformedMessage {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      long[] values = random.longs(20).toArray();
      Writer out = new Writer(16);
      for (long value : values) out.i64(value).bytes(Bytes.adopt(new byte[(int) (value & 7)]));
      Reader in = new Reader(out.toArray());
      for (long value : values) {
        assertThat(in.i64()).isEqualTo(value);
        assertThat(in.bytes(7).length()).isEqualTo((int) (value & 7));
      }
      in.end();
    }
  }
}
