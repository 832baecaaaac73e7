package oskr.app.ycsb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import oskr.app.FieldNames;
import oskr.app.YcsbOp;
import oskr.core.Bytes;

/** One client's ops: seeded, shared out fairly, keys and records as YCSB builds them. */
class ClientStreamTest {
  private static List<Bytes> run(CoreWorkload workload, int client, int count) {
    ClientStream stream = workload.stream(client, 4);
    List<Bytes> ops = new ArrayList<>();
    for (int i = 0; i < count; i++) ops.add(stream.nextRun().encode());
    return ops;
  }

  @Test
  void theSameSeedGivesTheSameOpsAndAnotherSeedOthers() {
    CoreWorkload workload = Workloads.of("workloada", Map.of("recordcount", "500"));
    assertThat(run(workload, 1, 300)).isEqualTo(run(workload, 1, 300));
    assertThat(run(workload, 2, 300)).isNotEqualTo(run(workload, 1, 300));
    CoreWorkload reseeded = Workloads.of("workloada", Map.of("recordcount", "500", "seed", "2"));
    assertThat(run(reseeded, 1, 300)).isNotEqualTo(run(workload, 1, 300));
  }

  @Test
  void theLoadInsertsEveryRecordOnceSharedOutOverTheClients() {
    CoreWorkload workload =
        Workloads.of(
            "workloadc", Map.of("recordcount", "20", "insertstart", "3", "insertcount", "10"));
    Set<Bytes> keys = new HashSet<>();
    long total = 0;
    for (int client = 0; client < 3; client++) {
      ClientStream stream = workload.stream(client, 3);
      total += stream.loadCount();
      while (!stream.loadDone()) {
        YcsbOp.Insert insert = (YcsbOp.Insert) stream.nextLoad();
        assertThat(insert.values().size()).isEqualTo(10);
        assertThat(keys.add(insert.key())).isTrue();
      }
      assertThatThrownBy(stream::nextLoad).isInstanceOf(IllegalStateException.class);
    }
    assertThat(total).isEqualTo(10);
    Set<Bytes> expected = new HashSet<>();
    for (long number = 3; number < 13; number++) expected.add(Bytes.utf8(workload.keyName(number)));
    assertThat(keys).isEqualTo(expected);
  }

  @Test
  void keysAreYcsbsHashedOrOrderedAndPadded() {
    CoreWorkload hashed = Workloads.of(Map.of("recordcount", "10"));
    assertThat(hashed.keyName(5)).isEqualTo("user1000385178204227360");
    CoreWorkload ordered =
        Workloads.of(Map.of("recordcount", "10", "insertorder", "ordered", "zeropadding", "8"));
    assertThat(ordered.keyName(5)).isEqualTo("user00000005");
    assertThat(Workloads.of(Map.of("recordcount", "10", "insertorder", "ordered")).keyName(5))
        .isEqualTo("user5");
  }

  @Test
  void recordsHaveTheirFieldCountAndLengthAndReadsTheirFields() {
    CoreWorkload workload =
        Workloads.of(
            Map.of(
                "recordcount", "100",
                "fieldcount", "3",
                "fieldlength", "7",
                "readallfields", "false",
                "readproportion", "1",
                "updateproportion", "0"));
    ClientStream stream = workload.stream(0, 1);
    YcsbOp.Insert insert = (YcsbOp.Insert) stream.nextLoad();
    assertThat(insert.values().values().keySet())
        .containsExactly(Bytes.utf8("field0"), Bytes.utf8("field1"), Bytes.utf8("field2"));
    insert.values().values().values().forEach(value -> assertThat(value.length()).isEqualTo(7));
    YcsbOp.Read read = (YcsbOp.Read) stream.nextRun();
    assertThat(read.fields().names()).hasSize(1);
    CoreWorkload all = Workloads.of(Map.of("recordcount", "100", "readproportion", "1"));
    YcsbOp.Read readAll = (YcsbOp.Read) all.stream(0, 1).nextRun();
    assertThat(readAll.fields()).isEqualTo(FieldNames.ALL);
  }

  @Test
  void insertsOfTheRunContinueAfterTheRecordsAndMoveTheFrontier() {
    CoreWorkload workload =
        Workloads.of(
            Map.of(
                "recordcount", "50",
                "insertorder", "ordered",
                "readproportion", "0",
                "updateproportion", "0",
                "insertproportion", "1"));
    ClientStream stream = workload.stream(1, 2);
    assertThat(((YcsbOp.Insert) stream.nextRun()).key()).isEqualTo(Bytes.utf8("user51"));
    assertThat(((YcsbOp.Insert) stream.nextRun()).key()).isEqualTo(Bytes.utf8("user53"));
    assertThat(stream.frontier()).isEqualTo(53);
  }

  @Test
  void wrongPropertiesAreRefusedNamingTheProperty() {
    assertThatThrownBy(() -> Workloads.of(Map.of())).hasMessageContaining("recordcount");
    assertThatThrownBy(
            () -> Workloads.of(Map.of("recordcount", "10", "requestdistribution", "exponential")))
        .hasMessageContaining("requestdistribution");
    assertThatThrownBy(() -> Workloads.of(Map.of("recordcount", "10", "readproportion", "x")))
        .hasMessageContaining("readproportion");
    assertThatThrownBy(
            () ->
                Workloads.of(
                    Map.of("recordcount", "10", "fieldcount", "100", "fieldlength", "1000")))
        .hasMessageContaining("fieldcount x fieldlength");
    assertThatThrownBy(() -> Workloads.of(Map.of("recordcount", "10", "workload", "x.MyWorkload")))
        .hasMessageContaining("workload");
  }
}
