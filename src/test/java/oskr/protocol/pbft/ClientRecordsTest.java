package oskr.protocol.pbft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.pbft.ClientRecords.Decision;

/** The bounded client table's rules (see {@link ClientRecords}), one request at a time. */
class ClientRecordsTest {
  private static final ClientIdentity A = client(1);
  private static final ClientIdentity B = client(2);
  private static final ClientIdentity C = client(3);

  private final ClientRecords records = new ClientRecords(2);

  /** The op number: one per executed request, as at a replica. */
  private long opNumber;

  private static ClientIdentity client(long id) {
    return new ClientIdentity(Bytes.utf8("key"), id);
  }

  /** Decides a committed request as a replica does, executing it if so decided. */
  private Decision answer(ClientRecords table, ClientIdentity client, long requestNumber) {
    Decision decision = table.decide(client, requestNumber, opNumber);
    if (decision == Decision.EXECUTE) {
      opNumber++;
      table.record(client, requestNumber, Bytes.utf8("r" + opNumber));
    }
    return decision;
  }

  private Decision answer(ClientIdentity client, long requestNumber) {
    return answer(records, client, requestNumber);
  }

  @Test
  void aNewClientInAFullTableEvictsTheLeastRecentlyAnsweredOne() {
    answer(A, 1);
    answer(B, 1);
    answer(A, 2); // B is now the least recently answered
    assertThat(answer(C, 1)).isEqualTo(Decision.EXECUTE);
    assertThat(records.size()).isEqualTo(2);
    assertThat(records.lastExecuted(B)).isZero();
    assertThat(records.lastExecuted(A)).isEqualTo(2);
    assertThat(records.lowWater()).isEqualTo(1);
  }

  @Test
  void requestsAreAnsweredAtMostOnce() {
    assertThat(answer(A, 1)).isEqualTo(Decision.EXECUTE);
    assertThat(answer(A, 1)).isEqualTo(Decision.DUPLICATE);
    assertThat(answer(A, 2)).isEqualTo(Decision.EXECUTE);
    assertThat(answer(A, 1)).isEqualTo(Decision.DUPLICATE);
    assertThat(records.latest(A).result()).isEqualTo(Bytes.utf8("r2"));
  }

  @Test
  void anEvictedClientsOldRequestsAreRefusedAndItsRetryExecutes() {
    for (long number = 1; number <= 3; number++) answer(A, number);
    answer(B, 1);
    answer(C, 1); // evicts A, whose requests went up to 3
    assertThat(records.lowWater()).isEqualTo(3);
    assertThat(answer(A, 2)).as("replayed").isEqualTo(Decision.REFUSE);
    ClientRecords.Entry refusal = records.latest(A);
    assertThat(refusal.requestNumber()).isEqualTo(2);
    assertThat(refusal.retryFrom()).as("above every number answered").isEqualTo(4);
    assertThat(refusal.result().length()).isZero();
    assertThat(answer(A, 3)).as("below the number to retry from").isEqualTo(Decision.REFUSE);
    long retryFrom = records.latest(A).retryFrom();
    assertThat(answer(A, 2)).isEqualTo(Decision.DUPLICATE);
    assertThat(answer(A, retryFrom)).isEqualTo(Decision.EXECUTE);
    assertThat(records.latest(A).retryFrom()).isZero();
  }

  @Test
  void aNewClientAtOrBelowTheLowWaterMarkIsRefusedOnceThenServed() {
    for (long number = 1; number <= 4; number++) answer(A, number);
    answer(B, 1);
    answer(C, 1); // evicts A: low-water mark 4
    ClientIdentity newcomer = client(9);
    assertThat(answer(newcomer, 1)).isEqualTo(Decision.REFUSE);
    assertThat(answer(newcomer, records.latest(newcomer).retryFrom())).isEqualTo(Decision.EXECUTE);
  }

  @Test
  void aNumberTooFarAheadOfTheOpNumberIsRefusedAndCannotRaiseTheLowWaterMark() {
    long tooFar = ClientRecords.REQUEST_LEAD_MAX + 1; // would execute as op number 1
    assertThat(answer(A, tooFar)).isEqualTo(Decision.REFUSE);
    assertThat(records.size()).as("not remembered").isZero();
    assertThat(records.retryFrom()).isEqualTo(1);
    assertThat(answer(A, tooFar - 1)).isEqualTo(Decision.EXECUTE);
    answer(B, 1);
    answer(C, 1); // evicts A
    assertThat(records.lowWater()).isEqualTo(tooFar - 1);
    assertThat(answer(client(9), tooFar)).as("retry from there").isEqualTo(Decision.EXECUTE);
  }

  @Test
  void aRestoredSnapshotDecidesAndEvictsAlike() throws MalformedMessage {
    answer(A, 1);
    answer(B, 1);
    answer(C, 1);
    answer(A, 1); // refused: A was evicted
    Writer out = new Writer(64);
    records.encode(out);
    ClientRecords restored = new ClientRecords(2);
    Reader in = new Reader(out.toArray());
    restored.decode(in);
    in.end();
    ClientIdentity newcomer = client(9);
    long savedOpNumber = opNumber;
    Decision original = answer(records, newcomer, 2);
    opNumber = savedOpNumber;
    assertThat(answer(restored, newcomer, 2)).isEqualTo(original);
    Writer once = new Writer(64);
    records.encode(once);
    Writer again = new Writer(64);
    restored.encode(again);
    assertThat(again.toBytes()).isEqualTo(once.toBytes());
  }

  @Test
  void aSnapshotWithMoreClientsThanTheBoundDoesNotDecode() {
    ClientRecords larger = new ClientRecords(3);
    answer(larger, A, 1);
    answer(larger, B, 1);
    answer(larger, C, 1);
    Writer out = new Writer(64);
    larger.encode(out);
    assertThatThrownBy(() -> records.decode(new Reader(out.toArray())))
        .isInstanceOf(MalformedMessage.class);
    assertThat(records.size()).isZero();
  }
}
