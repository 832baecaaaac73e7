package oskr.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;
import oskr.sim.linearizability.Verdict;

class HistoryTest {
  private static final Bytes K = Bytes.utf8("k0");

  private static HistoryEntry put(int client, long from, long to, String value) {
    return put(client, from, to, value, KvResult.PutResult.inserted());
  }

  private static HistoryEntry put(int client, long from, long to, String value, KvResult result) {
    return new HistoryEntry(
        client,
        from,
        Optional.of(to),
        new KvOp.Put(K, Bytes.utf8(value)),
        Optional.of(encode(result)),
        false);
  }

  private static HistoryEntry finalRead(long from, long to, String value) {
    KvResult result =
        value == null ? KvResult.GetResult.absent() : KvResult.GetResult.of(Bytes.utf8(value));
    return new HistoryEntry(
        0, from, Optional.of(to), new KvOp.Get(K), Optional.of(encode(result)), true);
  }

  private static Bytes encode(KvResult result) {
    return result.encode();
  }

  @Test
  void aFinalReadOfTheLastAcknowledgedWriteLosesNothingAndIsLinearizable() {
    KvResult replaced = KvResult.PutResult.replacing(Bytes.utf8("c1.0"));
    History history =
        new History(
            List.of(
                put(1, 0, 10, "c1.0"),
                put(2, 20, 30, "c2.0", replaced),
                finalRead(40, 50, "c2.0")));
    assertThat(history.lostWrites()).isEmpty();
    assertThat(history.checkLinearizable().verdict().outcome())
        .isEqualTo(Verdict.Outcome.LINEARIZABLE);
  }

  @Test
  void aFinalReadOfAnOverwrittenValueOrNothingIsALostWrite() {
    History older =
        new History(
            List.of(
                put(1, 0, 10, "c1.0"),
                put(2, 20, 30, "c2.0", KvResult.PutResult.replacing(Bytes.utf8("c1.0"))),
                finalRead(40, 50, "c1.0")));
    assertThat(older.lostWrites())
        .singleElement()
        .asString()
        .contains("written before the acknowledged c2.0");
    assertThat(older.checkLinearizable().verdict().outcome())
        .isEqualTo(Verdict.Outcome.NOT_LINEARIZABLE);
    History absent = new History(List.of(put(1, 0, 10, "c1.0"), finalRead(40, 50, null)));
    assertThat(absent.lostWrites()).singleElement().asString().contains("final read absent");
  }

  @Test
  void aFinalReadThatNeverCompletedIsReported() {
    HistoryEntry open =
        new HistoryEntry(0, 40, Optional.empty(), new KvOp.Get(K), Optional.empty(), true);
    assertThat(new History(List.of(put(1, 0, 10, "c1.0"), open)).lostWrites())
        .containsExactly("the final read of k0 did not complete");
  }

  @Test
  void writesAndReadsBackEveryField(@TempDir Path dir) throws Exception {
    HistoryEntry open =
        new HistoryEntry(
            3, 45, Optional.empty(), new KvOp.Put(K, Bytes.utf8("c3.7")), Optional.empty(), false);
    History history = new History(List.of(put(1, 0, 10, "c1.0"), open, finalRead(40, 50, "c1.0")));
    Path file = dir.resolve("history.txt");
    history.write(file);
    assertThat(History.read(file).entries()).isEqualTo(history.entries());
    assertThat(history.throughput(0, 1_000_000)).isEqualTo(1.0); // the final read does not count
    assertThat(history.firstCompletionInvokedAfter(1)).hasValue(50);
    Files.writeString(file, "1 2 - W del k0 -\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> History.read(file))
        .hasMessageContaining("line 1: unknown op");
  }
}
