package oskr.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import oskr.app.YcsbResult.Row;
import oskr.app.YcsbResult.Status;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;

/** YCSB ops on the store: codec round trips, bad bytes refused, YCSB's DB semantics, rollback. */
class YcsbOpTest {
  private static Bytes b(String text) {
    return Bytes.utf8(text);
  }

  private static Fields fields(String... namesAndValues) {
    java.util.TreeMap<Bytes, Bytes> values = new java.util.TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      values.put(b(namesAndValues[i]), b(namesAndValues[i + 1]));
    }
    return new Fields(values);
  }

  private static List<YcsbOp> sampleOps() {
    return List.of(
        new YcsbOp.Read(b("user1"), FieldNames.ALL),
        new YcsbOp.Read(b("user1"), FieldNames.of(b("f1"), b("f0"))),
        new YcsbOp.Update(b("user2"), fields("f0", "x")),
        new YcsbOp.Insert(b("user3"), fields("f0", "a", "f1", "b")),
        new YcsbOp.Scan(b("user"), 10, FieldNames.of(b("f1"))),
        new YcsbOp.ReadModifyWrite(b("user4"), FieldNames.ALL, fields("f1", "y")));
  }

  private static YcsbResult execute(KvStore store, YcsbOp op) throws MalformedMessage {
    return YcsbResult.decode(store.execute(0, op.encode()));
  }

  @Test
  void opsAndResultsRoundTripCanonically() throws MalformedMessage {
    for (YcsbOp op : sampleOps()) {
      assertThat(YcsbOp.isYcsb(op.encode())).isTrue();
      assertThat(YcsbOp.decode(op.encode())).isEqualTo(op);
    }
    YcsbResult result =
        new YcsbResult(
            Status.OK, List.of(new Row(b("a"), fields("f", "1")), new Row(b("b"), fields())), true);
    assertThat(YcsbResult.decode(result.encode())).isEqualTo(result);
    assertThat(YcsbResult.decode(YcsbResult.of(Status.NOT_FOUND).encode()).status())
        .isEqualTo(Status.NOT_FOUND);
  }

  @Test
  void aStoreAnswersYcsbsDbSemantics() throws MalformedMessage {
    KvStore store = new KvStore();
    assertThat(execute(store, new YcsbOp.Read(b("u1"), FieldNames.ALL)).status())
        .isEqualTo(Status.NOT_FOUND);
    assertThat(execute(store, new YcsbOp.Update(b("u1"), fields("f0", "z"))).status())
        .isEqualTo(Status.NOT_FOUND);
    assertThat(execute(store, new YcsbOp.Insert(b("u1"), fields("f0", "a", "f1", "b"))))
        .isEqualTo(YcsbResult.ok());
    assertThat(execute(store, new YcsbOp.Update(b("u1"), fields("f1", "c"))).status())
        .isEqualTo(Status.OK);
    YcsbResult all = execute(store, new YcsbOp.Read(b("u1"), FieldNames.ALL));
    assertThat(all.rows()).containsExactly(new Row(b("u1"), fields("f0", "a", "f1", "c")));
    YcsbResult one = execute(store, new YcsbOp.Read(b("u1"), FieldNames.of(b("f0"))));
    assertThat(one.rows()).containsExactly(new Row(b("u1"), fields("f0", "a")));
    YcsbResult rmw =
        execute(store, new YcsbOp.ReadModifyWrite(b("u1"), FieldNames.ALL, fields("f0", "d")));
    assertThat(rmw.rows()).containsExactly(new Row(b("u1"), fields("f0", "a", "f1", "c")));
    assertThat(execute(store, new YcsbOp.Read(b("u1"), FieldNames.ALL)).rows().getFirst().fields())
        .isEqualTo(fields("f0", "d", "f1", "c"));
  }

  @Test
  void aScanReadsCountRecordsInKeyOrderFromItsStart() throws MalformedMessage {
    KvStore store = new KvStore();
    for (String key : List.of("u3", "u1", "u5", "u2", "u4")) {
      execute(store, new YcsbOp.Insert(b(key), fields("f0", key, "f1", "x")));
    }
    YcsbResult scan = execute(store, new YcsbOp.Scan(b("u2"), 3, FieldNames.of(b("f0"))));
    assertThat(scan.rows())
        .containsExactly(
            new Row(b("u2"), fields("f0", "u2")),
            new Row(b("u3"), fields("f0", "u3")),
            new Row(b("u4"), fields("f0", "u4")));
    assertThat(scan.truncated()).isFalse();
    assertThat(execute(store, new YcsbOp.Scan(b("u9"), 3, FieldNames.ALL)).rows()).isEmpty();
  }

  @Test
  void aScanStopsAtTheResultBudget() throws MalformedMessage {
    KvStore store = new KvStore();
    Bytes big = Bytes.adopt(new byte[60_000]);
    for (int i = 0; i < 40; i++) {
      execute(store, new YcsbOp.Insert(b("u" + (100 + i)), Fields.of(Map.of(b("f"), big))));
    }
    YcsbResult scan = execute(store, new YcsbOp.Scan(b("u"), 40, FieldNames.ALL));
    assertThat(scan.truncated()).isTrue();
    assertThat(scan.rows()).hasSizeBetween(1, 39);
    assertThat(scan.encode().length()).isLessThanOrEqualTo(KvResult.RESULT_MAX);
  }

  @Test
  void aRollbackUndoesTentativeYcsbWrites() throws MalformedMessage {
    KvStore store = new KvStore();
    store.execute(1, new YcsbOp.Insert(b("u1"), fields("f0", "a")).encode());
    oskr.core.Digest before = store.digest();
    store.executeSpeculatively(2, new YcsbOp.Update(b("u1"), fields("f0", "b")).encode());
    store.executeSpeculatively(3, new YcsbOp.Insert(b("u2"), fields("f0", "c")).encode());
    store.executeSpeculatively(
        4, new YcsbOp.ReadModifyWrite(b("u1"), FieldNames.ALL, fields("f1", "d")).encode());
    store.rollback(1);
    assertThat(store.digest()).isEqualTo(before);
    assertThat(execute(store, new YcsbOp.Read(b("u2"), FieldNames.ALL)).status())
        .isEqualTo(Status.NOT_FOUND);
  }

  /** Mutated ops from the network are answered as bad ops, never thrown. */
  @Test
  void mutatedBytesDecodeCanonicallyOrAreRefused() {
    Random random = new Random(14);
    List<byte[]> seeds = new ArrayList<>();
    for (YcsbOp op : sampleOps()) seeds.add(op.encode().toArray());
    KvStore store = new KvStore();
    int decoded = 0;
    for (int round = 0; round < 20_000; round++) {
      byte[] copy = seeds.get(random.nextInt(seeds.size())).clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
      }
      Bytes bytes = Bytes.copyOf(copy);
      try {
        assertThat(YcsbOp.decode(bytes).encode()).isEqualTo(bytes);
        decoded++;
      } catch (MalformedMessage expected) {
        Bytes result = store.execute(round + 1, bytes);
        // A flipped tag may make it a KV op, which the store executes; a YCSB tag is refused.
        if (YcsbOp.isYcsb(bytes)) assertThat(result).isEqualTo(new KvResult.BadOp().encode());
      }
    }
    assertThat(decoded).isPositive();
  }
}
