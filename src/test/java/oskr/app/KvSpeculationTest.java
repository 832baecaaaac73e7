package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.core.App;
import oskr.core.Bytes;

/** Speculative execution (Zyzzyva): tentative operations, commit, and rollback to any point. */
class KvSpeculationTest {
  private static Bytes put(String key, String value) {
    return new KvOp.Put(Bytes.utf8(key), Bytes.utf8(value)).encode();
  }

  private static Bytes delete(String key) {
    return new KvOp.Delete(Bytes.utf8(key)).encode();
  }

  private static Bytes get(String key) {
    return new KvOp.Get(Bytes.utf8(key)).encode();
  }

  private static Bytes bytes(KvStore store) {
    App.Snapshot snapshot = store.snapshot();
    return snapshot.read(0, Math.toIntExact(snapshot.size()));
  }

  @Test
  void aRollbackUndoesTentativeOperationsLatestFirst() {
    KvStore store = new KvStore();
    store.execute(1, put("a", "1"));
    store.executeSpeculatively(2, put("a", "2"));
    store.executeSpeculatively(3, delete("a"));
    store.executeSpeculatively(4, put("b", "x"));
    assertThat(store.size()).isEqualTo(1);
    store.rollback(2);
    assertThat(store.executeSpeculatively(3, get("a")))
        .isEqualTo(KvResult.GetResult.of(Bytes.utf8("2")).encode());
    store.rollback(1);
    KvStore reference = new KvStore();
    reference.execute(1, put("a", "1"));
    assertThat(bytes(store)).isEqualTo(bytes(reference));
    assertThat(store.stateBytes()).isEqualTo(reference.stateBytes());
  }

  @Test
  void committedOperationsCannotBeRolledBackAndAreForgotten() {
    KvStore store = new KvStore();
    store.executeSpeculatively(1, put("a", "1"));
    store.executeSpeculatively(2, put("b", "2"));
    store.commit(1);
    assertThat(store.tentativeChanges()).isEqualTo(1);
    assertThatThrownBy(() -> store.rollback(0)).isInstanceOf(IllegalArgumentException.class);
    store.commit(2);
    assertThat(store.tentativeChanges()).isZero();
  }

  @Test
  void theProtocolsMisusesAreBugsNotSilentCorruption() {
    KvStore store = new KvStore();
    store.executeSpeculatively(5, put("a", "1"));
    assertThatThrownBy(() -> store.executeSpeculatively(5, put("a", "2")))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.execute(6, put("a", "2")))
        .isInstanceOf(IllegalStateException.class);
    store.commit(5);
    store.execute(6, put("a", "2"));
  }

  /**
   * Random tentative operations, commits and rollbacks end in the state of executing, finally and
   * in order, exactly the operations that survived.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void speculationEndsInTheStateOfTheSurvivingOperations(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    KvStore store = new KvStore();
    List<Bytes> survivors = new ArrayList<>(); // survivors.get(i) is op number i + 1
    long committed = 0;
    for (int step = 0; step < 2_000; step++) {
      int choice = random.nextInt(20);
      if (choice == 0 && survivors.size() > committed) {
        long to = committed + random.nextLong(survivors.size() - committed + 1);
        store.rollback(to);
        while (survivors.size() > to) survivors.removeLast();
      } else if (choice == 1) {
        committed = Math.max(committed, random.nextLong(survivors.size() + 1));
        store.commit(committed);
      } else {
        String key = "k" + random.nextInt(8);
        Bytes op = random.nextInt(4) == 0 ? delete(key) : put(key, "v" + step);
        survivors.add(op);
        store.executeSpeculatively(survivors.size(), op);
      }
    }
    KvStore reference = new KvStore();
    for (int i = 0; i < survivors.size(); i++) reference.execute(i + 1, survivors.get(i));
    assertThat(bytes(store)).isEqualTo(bytes(reference));
    assertThat(store.stateBytes()).isEqualTo(reference.stateBytes());
  }
}
