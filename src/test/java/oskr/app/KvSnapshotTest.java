package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.core.App;
import oskr.core.Bytes;

/** A frozen store read in ranges, and installed from pieces cut anywhere. */
class KvSnapshotTest {
  private static KvStore storeOf(int entries, long seed) {
    Random random = new Random(seed);
    KvStore store = new KvStore();
    for (int i = 0; i < entries; i++) {
      byte[] value = new byte[random.nextInt(3000)];
      random.nextBytes(value);
      store.apply(new KvOp.Put(Bytes.utf8("key" + random.nextInt(100_000)), Bytes.adopt(value)));
    }
    return store;
  }

  @Test
  void anyRangeReadsTheBytesOfTheWholeEncoding() {
    KvStore store = storeOf(200, 1);
    App.Snapshot snapshot = store.snapshot();
    byte[] whole = SnapshotBytes.of(snapshot).toArray();
    assertThat((long) whole.length).isEqualTo(snapshot.size());
    Random random = new Random(2);
    for (int i = 0; i < 200; i++) {
      int from = random.nextInt(whole.length);
      int length = random.nextInt(Math.min(200_000, whole.length - from) + 1);
      assertThat(snapshot.read(from, length)).isEqualTo(Bytes.copyOf(whole, from, length));
    }
  }

  @Test
  void aSnapshotStaysFrozenWhileTheStoreExecutesOn() {
    KvStore store = storeOf(50, 3);
    App.Snapshot snapshot = store.snapshot();
    Bytes before = SnapshotBytes.of(snapshot);
    store.apply(new KvOp.Put(Bytes.utf8("new"), Bytes.utf8("value")));
    store.apply(new KvOp.Delete(Bytes.utf8("key1")));
    assertThat(SnapshotBytes.of(snapshot)).isEqualTo(before);
    assertThat(SnapshotBytes.of(store.snapshot())).isNotEqualTo(before);
  }

  @Test
  void aSinkInstallsPiecesCutAnywhereAndOnlyOnCommit() {
    KvStore source = storeOf(300, 4);
    Bytes whole = SnapshotBytes.of(source.snapshot());
    KvStore target = storeOf(10, 5);
    Bytes targetBefore = SnapshotBytes.of(target.snapshot());
    App.SnapshotSink sink = target.snapshotSink();
    Random random = new Random(6);
    for (int from = 0; from < whole.length(); ) {
      int length = Math.min(whole.length() - from, 1 + random.nextInt(5000));
      sink.accept(Bytes.copyOf(whole.unsafeArray(), from, length));
      from += length;
    }
    assertThat(SnapshotBytes.of(target.snapshot())).isEqualTo(targetBefore);
    sink.commit();
    assertThat(SnapshotBytes.of(target.snapshot())).isEqualTo(whole);
    assertThat(target.digest()).isEqualTo(source.digest());
  }

  @Test
  void anIncompleteOrAbortedSnapshotChangesNothing() {
    Bytes whole = SnapshotBytes.of(storeOf(20, 7).snapshot());
    KvStore target = storeOf(5, 8);
    Bytes before = SnapshotBytes.of(target.snapshot());
    App.SnapshotSink sink = target.snapshotSink();
    sink.accept(Bytes.copyOf(whole.unsafeArray(), 0, whole.length() - 1));
    assertThatThrownBy(sink::commit).isInstanceOf(IllegalArgumentException.class);
    assertThat(SnapshotBytes.of(target.snapshot())).isEqualTo(before);
    App.SnapshotSink aborted = target.snapshotSink();
    aborted.accept(whole);
    aborted.abort();
    assertThat(SnapshotBytes.of(target.snapshot())).isEqualTo(before);
  }
}
