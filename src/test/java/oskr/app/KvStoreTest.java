package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.KvResult.DeleteResult;
import oskr.app.KvResult.GetResult;
import oskr.app.KvResult.Pair;
import oskr.app.KvResult.PutResult;
import oskr.app.KvResult.ScanResult;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Writer;

class KvStoreTest {
  private static Bytes b(String text) {
    return Bytes.utf8(text);
  }

  private static KvResult run(KvStore store, KvOp op) throws MalformedMessage {
    return KvResult.decodeFor(op, store.execute(1, op.encode()));
  }

  private static ScanResult scan(KvStore store, String from, String to, int limit)
      throws MalformedMessage {
    return (ScanResult) run(store, new KvOp.Scan(b(from), b(to), limit));
  }

  private static List<Pair> pairs(String... keyValues) {
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      pairs.add(new Pair(b(keyValues[i]), b(keyValues[i + 1])));
    }
    return pairs;
  }

  private static KvStore storeWith(String... keyValues) throws MalformedMessage {
    KvStore store = new KvStore();
    for (int i = 0; i < keyValues.length; i += 2) {
      run(store, new KvOp.Put(b(keyValues[i]), b(keyValues[i + 1])));
    }
    return store;
  }

  @Test
  void putGetDelete() throws MalformedMessage {
    KvStore store = new KvStore();
    assertThat(run(store, new KvOp.Get(b("a")))).isEqualTo(GetResult.absent());
    assertThat(run(store, new KvOp.Put(b("a"), b("1")))).isEqualTo(PutResult.inserted());
    assertThat(run(store, new KvOp.Get(b("a")))).isEqualTo(GetResult.of(b("1")));
    assertThat(run(store, new KvOp.Put(b("a"), b("2")))).isEqualTo(PutResult.replacing(b("1")));
    assertThat(run(store, new KvOp.Get(b("a")))).isEqualTo(GetResult.of(b("2")));
    assertThat(run(store, new KvOp.Delete(b("a")))).isEqualTo(new DeleteResult(true));
    assertThat(run(store, new KvOp.Delete(b("a")))).isEqualTo(new DeleteResult(false));
    assertThat(run(store, new KvOp.Get(b("a")))).isEqualTo(GetResult.absent());
    assertThat(store.size()).isZero();
    assertThat(store.stateBytes()).isZero();
  }

  @Test
  void emptyKeyAndEmptyValueAreOrdinary() throws MalformedMessage {
    KvStore store = storeWith("", "");
    assertThat(run(store, new KvOp.Get(Bytes.EMPTY))).isEqualTo(GetResult.of(Bytes.EMPTY));
    assertThat(run(store, KvOp.Scan.toEnd(Bytes.EMPTY, 5)))
        .isEqualTo(new ScanResult(pairs("", ""), false));
  }

  @Test
  void scanRangesAreInclusiveExclusiveAndOrdered() throws MalformedMessage {
    KvStore store = storeWith("d", "4", "b", "2", "a", "1", "c", "3", "e", "5");
    assertThat(scan(store, "b", "d", 10))
        .isEqualTo(new ScanResult(pairs("b", "2", "c", "3"), false));
    assertThat(scan(store, "bb", "dd", 10))
        .isEqualTo(new ScanResult(pairs("c", "3", "d", "4"), false));
    assertThat(scan(store, "a", "z", 2))
        .isEqualTo(new ScanResult(pairs("a", "1", "b", "2"), false));
    assertThat(run(store, KvOp.Scan.toEnd(b("d"), 10)))
        .isEqualTo(new ScanResult(pairs("d", "4", "e", "5"), false));
  }

  @Test
  void emptyAndInvertedRangesAreEmpty() throws MalformedMessage {
    KvStore store = storeWith("a", "1", "b", "2");
    assertThat(scan(store, "b", "b", 10).pairs()).isEmpty();
    assertThat(scan(store, "c", "a", 10).pairs()).isEmpty();
    assertThat(scan(store, "x", "z", 10).pairs()).isEmpty();
    assertThat(run(new KvStore(), KvOp.Scan.toEnd(Bytes.EMPTY, 10)))
        .isEqualTo(new ScanResult(List.of(), false));
  }

  @Test
  void keysCompareAsUnsignedBytes() throws MalformedMessage {
    KvStore store = new KvStore();
    Bytes high = Bytes.copyOf(new byte[] {(byte) 0xff});
    Bytes low = Bytes.copyOf(new byte[] {0x01});
    run(store, new KvOp.Put(high, b("h")));
    run(store, new KvOp.Put(low, b("l")));
    ScanResult all = (ScanResult) run(store, KvOp.Scan.toEnd(Bytes.EMPTY, 10));
    assertThat(all.pairs()).extracting(Pair::key).containsExactly(low, high);
  }

  @Test
  void scanStopsAtTheResultBudgetAndSaysSo() throws MalformedMessage {
    KvStore store = new KvStore();
    Bytes value = Bytes.copyOf(new byte[KvOp.VALUE_MAX]);
    int keys = KvResult.RESULT_MAX / KvOp.VALUE_MAX + 2;
    for (int i = 0; i < keys; i++) run(store, new KvOp.Put(b("k" + (100 + i)), value));
    ScanResult result = (ScanResult) run(store, KvOp.Scan.toEnd(Bytes.EMPTY, keys));
    assertThat(result.truncated()).isTrue();
    assertThat(result.pairs()).hasSizeLessThan(keys);
    assertThat(store.execute(1, KvOp.Scan.toEnd(Bytes.EMPTY, keys).encode()).length())
        .isLessThanOrEqualTo(KvResult.RESULT_MAX);
    ScanResult limited = (ScanResult) run(store, KvOp.Scan.toEnd(Bytes.EMPTY, 3));
    assertThat(limited.truncated()).isFalse();
    assertThat(limited.pairs()).hasSize(3);
  }

  @Test
  void malformedOpsGiveBadOpAndChangeNothing() throws MalformedMessage {
    KvStore store = storeWith("a", "1");
    Bytes before = SnapshotBytes.of(store.snapshot());
    Bytes badOp = new KvResult.BadOp().encode();
    List<Bytes> inputs =
        List.of(
            Bytes.EMPTY,
            Bytes.copyOf(new byte[] {9}),
            new Writer().u8(2).u32(Integer.MAX_VALUE).toBytes(),
            new Writer().u8(1).bytes(b("a")).u8(0).toBytes(),
            new Writer().u8(4).bytes(b("a")).bytes(b("b")).u32(0).toBytes());
    for (Bytes input : inputs) assertThat(store.execute(7, input)).isEqualTo(badOp);
    assertThat(KvResult.decode(badOp)).isInstanceOf(KvResult.BadOp.class);
    assertThat(SnapshotBytes.of(store.snapshot())).isEqualTo(before);
  }

  @Test
  void randomOpBytesNeverThrow() {
    Random random = new Random(77);
    KvStore store = new KvStore();
    for (int i = 0; i < 5_000; i++) {
      byte[] input = new byte[random.nextInt(20)];
      random.nextBytes(input);
      if (input.length > 0) input[0] = (byte) (1 + random.nextInt(4));
      assertThat(store.execute(i, Bytes.copyOf(input)).length()).isPositive();
    }
  }

  @Test
  void putPastCapacityIsRefusedAndChangesNothing() throws MalformedMessage {
    KvStore store = new KvStore(30);
    assertThat(run(store, new KvOp.Put(b("a"), b("0123456789")))).isEqualTo(PutResult.inserted());
    assertThat(store.stateBytes()).isEqualTo(19);
    assertThat(run(store, new KvOp.Put(b("b"), b("0123456789"))))
        .isEqualTo(new KvResult.StoreFull());
    assertThat(run(store, new KvOp.Get(b("b")))).isEqualTo(GetResult.absent());
    assertThat(run(store, new KvOp.Put(b("a"), b("0123456789abcdefghi"))))
        .isEqualTo(PutResult.replacing(b("0123456789")));
    assertThat(store.stateBytes()).isEqualTo(28);
    assertThat(run(store, new KvOp.Put(b("a"), b("0123456789abcdefghijkl"))))
        .isEqualTo(new KvResult.StoreFull());
  }

  @Test
  void snapshotRestoreKeepsAnswersAndDigest() throws MalformedMessage {
    KvStore store = storeWith("a", "1", "b", "2", "c", "3");
    run(store, new KvOp.Delete(b("b")));
    KvStore restored = KvStore.restore(SnapshotBytes.of(store.snapshot()));
    assertThat(restored.digest()).isEqualTo(store.digest());
    assertThat(SnapshotBytes.of(restored.snapshot())).isEqualTo(SnapshotBytes.of(store.snapshot()));
    assertThat(restored.stateBytes()).isEqualTo(store.stateBytes());
    for (KvOp op :
        List.<KvOp>of(
            new KvOp.Get(b("a")),
            new KvOp.Get(b("b")),
            KvOp.Scan.toEnd(Bytes.EMPTY, 10),
            new KvOp.Put(b("c"), b("33")),
            new KvOp.Delete(b("a")))) {
      assertThat(restored.execute(2, op.encode())).isEqualTo(store.execute(2, op.encode()));
    }
    assertThat(restored.digest()).isEqualTo(store.digest());
  }

  @Test
  void equalStatesHaveEqualDigestsWhateverTheHistory() throws MalformedMessage {
    List<String> keys = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g"));
    KvStore first = new KvStore();
    for (String key : keys) run(first, new KvOp.Put(b(key), b("v" + key)));
    Collections.shuffle(keys, new Random(5));
    KvStore second = new KvStore();
    run(second, new KvOp.Put(b("zz"), b("temporary")));
    for (String key : keys) run(second, new KvOp.Put(b(key), b("old")));
    for (String key : keys) run(second, new KvOp.Put(b(key), b("v" + key)));
    run(second, new KvOp.Delete(b("zz")));
    assertThat(second.digest()).isEqualTo(first.digest());
    assertThat(SnapshotBytes.of(second.snapshot())).isEqualTo(SnapshotBytes.of(first.snapshot()));
    run(second, new KvOp.Put(b("a"), b("changed")));
    assertThat(second.digest()).isNotEqualTo(first.digest());
    assertThat(new KvStore().digest()).isNotEqualTo(first.digest());
  }

  @Test
  void restoreRejectsNonCanonicalOrCorruptSnapshots() throws MalformedMessage {
    Bytes unordered =
        new Writer().u8(1).u32(2).bytes(b("b")).bytes(b("2")).bytes(b("a")).bytes(b("1")).toBytes();
    assertThatThrownBy(() -> KvStore.restore(unordered)).hasMessage("KvSnapshot.order");
    Bytes badVersion = new Writer().u8(2).u32(0).toBytes();
    assertThatThrownBy(() -> KvStore.restore(badVersion)).hasMessage("KvSnapshot.version");
    Bytes hugeCount = new Writer().u8(1).u32(1_000).toBytes();
    assertThatThrownBy(() -> KvStore.restore(hugeCount)).hasMessage("truncated");
    Bytes good = SnapshotBytes.of(storeWith("a", "1", "b", "2").snapshot());
    assertThatThrownBy(() -> KvStore.restore(good, 10)).hasMessage("KvSnapshot.capacity");
    byte[] full = good.toArray();
    for (int length = 0; length < full.length; length++) {
      Bytes prefix = Bytes.copyOf(full, 0, length);
      assertThatThrownBy(() -> KvStore.restore(prefix)).isInstanceOf(MalformedMessage.class);
    }
    Bytes longer = new Writer().raw(full, 0, full.length).u8(0).toBytes();
    assertThatThrownBy(() -> KvStore.restore(longer)).hasMessage("trailing bytes");
  }

  @Test
  void restoredEmptyStoreIsEmpty() throws MalformedMessage {
    KvStore restored = KvStore.restore(SnapshotBytes.of(new KvStore().snapshot()));
    assertThat(restored.size()).isZero();
    assertThat(restored.digest()).isEqualTo(new KvStore().digest());
  }
}
