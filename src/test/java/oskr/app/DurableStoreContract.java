package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.app.ycsb.ClientStream;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.WorkloadProperties;
import oskr.core.App;
import oskr.core.Bytes;

/**
 * What every durable store promises, run against each engine: the same results and snapshot bytes
 * as the in-memory store for the same ops, data and metadata kept across a restart, a snapshot
 * frozen while execution goes on and readable at any offset, an install in pieces, a rollback, and
 * a one-line error for a path it cannot open.
 */
public abstract class DurableStoreContract {
  @TempDir protected Path directory;

  /** Opens the engine's store at {@code path} (created if missing). */
  protected abstract DurableStore open(Path path) throws StoreOpenException;

  /** A fresh path for a store in {@link #directory}. */
  protected abstract Path path(String name);

  /** YCSB workload A's load and run ops, seeded: inserts, reads, updates, scans, rmw. */
  static List<Bytes> ycsbOps(int records, int runOps) {
    CoreWorkload workload =
        new CoreWorkload(
            new WorkloadProperties(
                Map.of(
                    "recordcount", Integer.toString(records),
                    "fieldcount", "4",
                    "fieldlength", "50",
                    "readproportion", "0.4",
                    "updateproportion", "0.3",
                    "scanproportion", "0.1",
                    "insertproportion", "0.1",
                    "readmodifywriteproportion", "0.1",
                    "maxscanlength", "20")));
    ClientStream stream = workload.stream(0, 1);
    List<Bytes> ops = new ArrayList<>();
    while (!stream.loadDone()) ops.add(stream.nextLoad().encode());
    for (int i = 0; i < runOps; i++) ops.add(stream.nextRun().encode());
    // KV ops too: a put, a delete of a record, a get.
    ops.add(new KvOp.Put(Bytes.utf8("plain"), Bytes.utf8("value")).encode());
    ops.add(new KvOp.Delete(Bytes.utf8(workload.keyName(3))).encode());
    ops.add(new KvOp.Get(Bytes.utf8("plain")).encode());
    return ops;
  }

  private static Bytes whole(App.Snapshot snapshot) {
    return snapshot.read(0, Math.toIntExact(snapshot.size()));
  }

  @Test
  void answersAndSnapshotsAsTheInMemoryStore() throws Exception {
    KvStore memory = new KvStore();
    try (DurableStore store = open(path("a"))) {
      long opNumber = 0;
      for (Bytes op : ycsbOps(200, 300)) {
        opNumber++;
        assertThat(store.execute(opNumber, op)).isEqualTo(memory.execute(opNumber, op));
      }
      assertThat(store.size()).isEqualTo(memory.size());
      assertThat(whole(store.snapshot())).isEqualTo(whole(memory.snapshot()));
      assertThat(store.digest()).isEqualTo(memory.digest());
    }
  }

  @Test
  void keepsItsDataAndMetadataAcrossARestart() throws Exception {
    Path path = path("restart");
    oskr.core.Digest digest;
    long size;
    long applied;
    List<Bytes> ops = ycsbOps(100, 100);
    try (DurableStore store = open(path)) {
      for (int i = 0; i < ops.size(); i++) store.execute(i + 1, ops.get(i));
      digest = store.digest();
      size = store.size();
      applied = store.appliedOpNumber();
    }
    assertThat(applied).isPositive();
    try (DurableStore reopened = open(path)) {
      assertThat(reopened.size()).isEqualTo(size);
      assertThat(reopened.appliedOpNumber()).isEqualTo(applied);
      assertThat(reopened.digest()).isEqualTo(digest);
      Bytes get = new KvOp.Get(Bytes.utf8("plain")).encode();
      assertThat(KvResult.decode(reopened.execute(applied + 1, get)))
          .isEqualTo(KvResult.GetResult.of(Bytes.utf8("value")));
    }
  }

  @Test
  void aSnapshotStaysFrozenAndReadsAnyRange() throws Exception {
    KvStore memory = new KvStore();
    try (DurableStore store = open(path("frozen"))) {
      List<Bytes> ops = ycsbOps(300, 200);
      int half = ops.size() / 2;
      for (int i = 0; i < half; i++) {
        store.execute(i + 1, ops.get(i));
        memory.execute(i + 1, ops.get(i));
      }
      App.Snapshot frozen = store.snapshot();
      Bytes expected = whole(memory.snapshot());
      for (int i = half; i < ops.size(); i++) store.execute(i + 1, ops.get(i));
      assertThat(frozen.size()).isEqualTo(expected.length());
      SplittableRandom random = new SplittableRandom(5);
      for (int read = 0; read < 300; read++) {
        int offset = random.nextInt(expected.length());
        int length = random.nextInt(Math.min(3_000, expected.length() - offset) + 1);
        assertThat(frozen.read(offset, length))
            .isEqualTo(Bytes.copyOf(expected.unsafeArray(), offset, length));
      }
      assertThat(whole(frozen)).isEqualTo(expected);
    }
  }

  @Test
  void installsASnapshotFedInPiecesAndKeepsItAcrossARestart() throws Exception {
    KvStore source = new KvStore();
    List<Bytes> ops = ycsbOps(300, 100);
    for (int i = 0; i < ops.size(); i++) source.execute(i + 1, ops.get(i));
    Bytes snapshot = whole(source.snapshot());
    Path path = path("install");
    try (DurableStore store = open(path)) {
      store.execute(1, new KvOp.Put(Bytes.utf8("old"), Bytes.utf8("gone")).encode());
      App.SnapshotSink abandoned = store.snapshotSink();
      abandoned.accept(Bytes.copyOf(snapshot.unsafeArray(), 0, 100));
      abandoned.abort();
      assertThat(store.size()).isEqualTo(1);
      App.SnapshotSink sink = store.snapshotSink();
      SplittableRandom random = new SplittableRandom(3);
      for (int offset = 0; offset < snapshot.length(); ) {
        int length = Math.min(1 + random.nextInt(5_000), snapshot.length() - offset);
        sink.accept(Bytes.copyOf(snapshot.unsafeArray(), offset, length));
        offset += length;
      }
      sink.commit();
      assertThat(store.digest()).isEqualTo(source.digest());
    }
    try (DurableStore reopened = open(path)) {
      assertThat(reopened.digest()).isEqualTo(source.digest());
      assertThat(reopened.size()).isEqualTo(source.size());
    }
  }

  @Test
  void aBadSnapshotIsRefusedAndChangesNothing() throws Exception {
    try (DurableStore store = open(path("bad"))) {
      store.execute(1, new KvOp.Put(Bytes.utf8("k"), Bytes.utf8("v")).encode());
      oskr.core.Digest before = store.digest();
      App.SnapshotSink sink = store.snapshotSink();
      sink.accept(Bytes.adopt(new byte[] {1, 0, 0, 0, 2, 0, 0, 0, 1, 'b', 0, 0, 0, 0}));
      assertThatThrownBy(sink::commit).isInstanceOf(IllegalArgumentException.class);
      assertThat(store.digest()).isEqualTo(before);
    }
  }

  @Test
  void aRollbackUndoesTentativeOps() throws Exception {
    List<Bytes> ops = ycsbOps(50, 80);
    try (DurableStore store = open(path("rollback"))) {
      int committed = 60;
      for (int i = 0; i < committed; i++) store.execute(i + 1, ops.get(i));
      oskr.core.Digest before = store.digest();
      for (int i = committed; i < ops.size(); i++) store.executeSpeculatively(i + 1, ops.get(i));
      store.rollback(committed);
      assertThat(store.digest()).isEqualTo(before);
      Bytes put = new KvOp.Put(Bytes.utf8("kept"), Bytes.utf8("v")).encode();
      store.executeSpeculatively(committed + 1, put);
      store.commit(committed + 1);
      store.rollback(committed + 1);
      assertThat(store.digest()).isNotEqualTo(before);
    }
  }

  @Test
  void aPathItCannotOpenIsOneLineNamingIt() throws IOException {
    Path missing = directory.resolve("no/such/dir/store");
    assertThatThrownBy(() -> open(missing))
        .isInstanceOf(StoreOpenException.class)
        .hasMessageContaining(missing.toString())
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    Path text = directory.resolve("text");
    Files.writeString(text, "not a store, not a database: just some text\n".repeat(100));
    assertThatThrownBy(() -> open(text))
        .isInstanceOf(StoreOpenException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").contains("text"));
  }
}
