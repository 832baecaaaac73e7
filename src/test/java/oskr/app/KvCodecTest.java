package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.KvResult.Pair;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Writer;

class KvCodecTest {
  private static Bytes b(String text) {
    return Bytes.utf8(text);
  }

  static List<KvOp> sampleOps() {
    return List.of(
        new KvOp.Get(b("a")),
        new KvOp.Get(Bytes.EMPTY),
        new KvOp.Put(b("key"), b("value")),
        new KvOp.Put(b("k"), Bytes.EMPTY),
        new KvOp.Put(Bytes.copyOf(new byte[KvOp.KEY_MAX]), Bytes.copyOf(new byte[KvOp.VALUE_MAX])),
        new KvOp.Delete(b("gone")),
        new KvOp.Scan(b("a"), b("z"), 10),
        KvOp.Scan.toEnd(Bytes.EMPTY, KvOp.SCAN_LIMIT_MAX));
  }

  static List<KvResult> sampleResults() {
    return List.of(
        KvResult.GetResult.absent(),
        KvResult.GetResult.of(b("v")),
        KvResult.GetResult.of(Bytes.EMPTY),
        KvResult.PutResult.inserted(),
        KvResult.PutResult.replacing(b("old")),
        new KvResult.DeleteResult(true),
        new KvResult.DeleteResult(false),
        new KvResult.ScanResult(List.of(), false),
        new KvResult.ScanResult(List.of(new Pair(b("a"), b("1")), new Pair(b("b"), b(""))), true),
        new KvResult.StoreFull(),
        new KvResult.BadOp());
  }

  @Test
  void opsRoundTrip() throws MalformedMessage {
    for (KvOp op : sampleOps()) {
      assertThat(KvOp.decode(op.encode())).isEqualTo(op);
    }
  }

  @Test
  void resultsRoundTrip() throws MalformedMessage {
    for (KvResult result : sampleResults()) {
      assertThat(KvResult.decode(result.encode())).isEqualTo(result);
    }
  }

  @Test
  void everyTruncationIsRejected() {
    for (KvOp op : sampleOps()) {
      byte[] full = op.encode().toArray();
      for (int length : prefixLengths(full.length)) {
        Bytes prefix = Bytes.copyOf(full, 0, length);
        assertThatThrownBy(() -> KvOp.decode(prefix)).isInstanceOf(MalformedMessage.class);
      }
    }
    for (KvResult result : sampleResults()) {
      byte[] full = result.encode().toArray();
      for (int length : prefixLengths(full.length)) {
        Bytes prefix = Bytes.copyOf(full, 0, length);
        assertThatThrownBy(() -> KvResult.decode(prefix)).isInstanceOf(MalformedMessage.class);
      }
    }
  }

  /** Every proper prefix length of a short encoding; the ends of a long one (64 KiB values). */
  private static int[] prefixLengths(int length) {
    return java.util.stream.IntStream.range(0, length)
        .filter(prefix -> prefix < 256 || prefix > length - 256)
        .toArray();
  }

  @Test
  void trailingBytesAreRejected() {
    for (KvOp op : sampleOps()) {
      Bytes longer =
          new Writer().raw(op.encode().toArray(), 0, op.encode().length()).u8(0).toBytes();
      assertThatThrownBy(() -> KvOp.decode(longer)).hasMessage("trailing bytes");
    }
    Bytes longer = new Writer().u8(3).bool(true).u8(7).toBytes();
    assertThatThrownBy(() -> KvResult.decode(longer)).hasMessage("trailing bytes");
  }

  @Test
  void limitsAreEnforced() {
    Bytes longKey = new Writer().u8(1).bytes(Bytes.copyOf(new byte[KvOp.KEY_MAX + 1])).toBytes();
    assertThatThrownBy(() -> KvOp.decode(longKey)).hasMessage("field too long");
    Bytes zeroLimit = new Writer().u8(4).bytes(b("a")).bytes(b("b")).u32(0).toBytes();
    assertThatThrownBy(() -> KvOp.decode(zeroLimit)).hasMessage("Scan.limit");
    Bytes hugeLimit =
        new Writer().u8(4).bytes(b("a")).bytes(b("b")).u32(KvOp.SCAN_LIMIT_MAX + 1).toBytes();
    assertThatThrownBy(() -> KvOp.decode(hugeLimit)).hasMessage("Scan.limit");
    Bytes hugeLength = new Writer().u8(2).u32(Integer.MAX_VALUE).toBytes();
    assertThatThrownBy(() -> KvOp.decode(hugeLength)).hasMessage("field too long");
    Bytes unknownTag = new Writer().u8(9).toBytes();
    assertThatThrownBy(() -> KvOp.decode(unknownTag)).hasMessage("KvOp.tag");
    Bytes badBool = new Writer().u8(3).u8(2).toBytes();
    assertThatThrownBy(() -> KvResult.decode(badBool)).hasMessage("bad boolean");
    Bytes hugeCount = new Writer().u8(4).bool(false).u32(1_000_000).toBytes();
    assertThatThrownBy(() -> KvResult.decode(hugeCount)).hasMessage("count too large");
  }

  @Test
  void absentValuesHaveOneEncoding() {
    Bytes absentWithValue = new Writer().u8(1).bool(false).bytes(b("x")).toBytes();
    assertThatThrownBy(() -> KvResult.decode(absentWithValue)).hasMessage("trailing bytes");
  }

  @Test
  void scanResultKeysMustIncrease() {
    Bytes unordered =
        new Writer()
            .u8(4)
            .bool(false)
            .u32(2)
            .bytes(b("b"))
            .bytes(b("1"))
            .bytes(b("a"))
            .bytes(b("2"))
            .toBytes();
    assertThatThrownBy(() -> KvResult.decode(unordered)).hasMessage("ScanResult.order");
    Bytes duplicate =
        new Writer()
            .u8(4)
            .bool(false)
            .u32(2)
            .bytes(b("a"))
            .bytes(b("1"))
            .bytes(b("a"))
            .bytes(b("2"))
            .toBytes();
    assertThatThrownBy(() -> KvResult.decode(duplicate)).hasMessage("ScanResult.order");
  }

  @Test
  void decodeForChecksTheKindOfResult() throws MalformedMessage {
    KvOp get = new KvOp.Get(b("a"));
    assertThat(KvResult.decodeFor(get, KvResult.GetResult.of(b("v")).encode()))
        .isEqualTo(KvResult.GetResult.of(b("v")));
    assertThatThrownBy(() -> KvResult.decodeFor(get, new KvResult.DeleteResult(true).encode()))
        .hasMessage("KvResult.kind");
    assertThatThrownBy(() -> KvResult.decodeFor(get, new KvResult.BadOp().encode()))
        .hasMessage("KvResult.kind");
    KvOp put = new KvOp.Put(b("a"), b("v"));
    assertThat(KvResult.decodeFor(put, new KvResult.StoreFull().encode()))
        .isEqualTo(new KvResult.StoreFull());
    KvOp scan = new KvOp.Scan(b("a"), b("z"), 1);
    Bytes twoPairs =
        new KvResult.ScanResult(List.of(new Pair(b("a"), b("1")), new Pair(b("b"), b("2"))), false)
            .encode();
    assertThatThrownBy(() -> KvResult.decodeFor(scan, twoPairs)).hasMessage("KvResult.kind");
  }

  /**
   * Random and mutated bytes either decode to a value whose encoding is exactly those bytes (the
   * codec is canonical) or throw MalformedMessage; any other exception fails the test.
   */
  @Test
  void randomAndMutatedBytesYieldOnlyMalformedMessage() {
    Random random = new Random(20_240_601L);
    List<byte[]> seeds = new ArrayList<>();
    for (KvOp op : sampleOps()) seeds.add(op.encode().toArray());
    for (KvResult result : sampleResults()) seeds.add(result.encode().toArray());
    int decoded = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())));
      Bytes bytes = Bytes.copyOf(input);
      decoded += canonicalOrMalformed(bytes);
    }
    assertThat(decoded).isPositive();
  }

  private static byte[] mutate(Random random, byte[] seed) {
    if (random.nextInt(4) == 0) {
      byte[] noise = new byte[random.nextInt(24)];
      random.nextBytes(noise);
      if (noise.length > 0) noise[0] = (byte) random.nextInt(8);
      return noise;
    }
    byte[] copy = seed.length > 64 ? java.util.Arrays.copyOf(seed, 64) : seed.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips && copy.length > 0; i++) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }

  private static int canonicalOrMalformed(Bytes bytes) {
    int decoded = 0;
    try {
      assertThat(KvOp.decode(bytes).encode()).isEqualTo(bytes);
      decoded++;
    } catch (MalformedMessage expected) {
      assertThat(expected.reason()).isNotEmpty();
    }
    try {
      assertThat(KvResult.decode(bytes).encode()).isEqualTo(bytes);
      decoded++;
    } catch (MalformedMessage expected) {
      assertThat(expected.reason()).isNotEmpty();
    }
    return decoded;
  }
}
