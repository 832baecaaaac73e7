package oskr.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import oskr.protocol.ClientTable.Verdict;

class ClientTableTest {
  private static final long CLIENT = 77;

  @Test
  void aRequestGoesFromNewToInProgressToResendReply() {
    ClientTable<String> table = new ClientTable<>();
    assertThat(table.check(CLIENT, 1)).isEqualTo(Verdict.NEW);
    table.start(CLIENT, 1);
    assertThat(table.check(CLIENT, 1)).isEqualTo(Verdict.IN_PROGRESS);
    assertThat(table.finish(CLIENT, 1, "reply 1")).isTrue();
    assertThat(table.check(CLIENT, 1)).isEqualTo(Verdict.RESEND_REPLY);
    assertThat(table.reply(CLIENT)).isEqualTo("reply 1");
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void aNewerRequestReplacesTheCachedReplyAndOlderOnesAreStale() {
    ClientTable<String> table = new ClientTable<>();
    table.start(CLIENT, 1);
    table.finish(CLIENT, 1, "reply 1");
    assertThat(table.check(CLIENT, 5)).isEqualTo(Verdict.NEW); // gaps are fine
    table.start(CLIENT, 5);
    assertThat(table.check(CLIENT, 5)).isEqualTo(Verdict.IN_PROGRESS);
    assertThat(table.check(CLIENT, 1)).isEqualTo(Verdict.STALE);
    assertThat(table.check(CLIENT, 4)).isEqualTo(Verdict.STALE);
    assertThatThrownBy(() -> table.reply(CLIENT)).isInstanceOf(IllegalStateException.class);
    table.finish(CLIENT, 5, "reply 5");
    assertThat(table.reply(CLIENT)).isEqualTo("reply 5");
    assertThat(table.check(CLIENT, 1)).isEqualTo(Verdict.STALE);
  }

  @Test
  void aReplyForARequestTheClientMovedPastIsNotStored() {
    ClientTable<String> table = new ClientTable<>();
    table.start(CLIENT, 1);
    table.start(CLIENT, 2);
    assertThat(table.finish(CLIENT, 1, "late reply 1")).isFalse();
    assertThat(table.check(CLIENT, 2)).isEqualTo(Verdict.IN_PROGRESS);
    assertThat(table.finish(CLIENT + 1, 1, "unknown client")).isFalse();
    assertThat(table.size()).isEqualTo(1);
  }

  @Test
  void clientsAreIndependent() {
    ClientTable<String> table = new ClientTable<>();
    table.start(1, 10);
    table.finish(1, 10, "one");
    table.start(-2, 3);
    assertThat(table.check(1, 10)).isEqualTo(Verdict.RESEND_REPLY);
    assertThat(table.check(-2, 3)).isEqualTo(Verdict.IN_PROGRESS);
    assertThat(table.check(3, 1)).isEqualTo(Verdict.NEW);
  }

  /** Answers a request the table calls new: starts and finishes it. */
  private static void answer(ClientTable<String> table, long clientId, long requestNumber) {
    assertThat(table.check(clientId, requestNumber)).isEqualTo(Verdict.NEW);
    table.start(clientId, requestNumber);
    table.finish(clientId, requestNumber, "reply " + requestNumber);
  }

  @Test
  void aNewClientInAFullTableEvictsTheLeastRecentlyAnsweredOne() {
    ClientTable<String> table = new ClientTable<>(2);
    answer(table, 1, 1);
    answer(table, 2, 1);
    answer(table, 1, 2); // client 2 is now the least recently answered
    answer(table, 3, 1);
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.lowWater()).isEqualTo(1);
    assertThat(table.check(1, 2)).isEqualTo(Verdict.RESEND_REPLY);
    assertThat(table.check(2, 1)).as("evicted, at the low-water mark").isEqualTo(Verdict.REFUSE);
  }

  @Test
  void anEvictedClientsOldRequestIsRefusedAndItsRetryIsNew() {
    ClientTable<String> table = new ClientTable<>(2);
    for (long number = 1; number <= 3; number++) answer(table, 1, number);
    answer(table, 2, 1);
    answer(table, 3, 1); // evicts client 1, whose requests went up to 3
    assertThat(table.check(1, 3)).isEqualTo(Verdict.REFUSE);
    long retryFrom = table.refuse(1, 3);
    assertThat(retryFrom).as("above every number answered").isEqualTo(4);
    assertThat(table.check(1, 3))
        .as("a retry waits for the refusal")
        .isEqualTo(Verdict.IN_PROGRESS);
    table.finish(1, 3, "refused");
    assertThat(table.check(1, 3)).isEqualTo(Verdict.RESEND_REPLY);
    assertThat(table.check(1, 2)).isEqualTo(Verdict.STALE);
    assertThat(table.check(1, retryFrom)).isEqualTo(Verdict.NEW);
  }

  @Test
  void aNewClientBelowTheLowWaterMarkIsRefusedOnceThenServed() {
    ClientTable<String> table = new ClientTable<>(1);
    for (long number = 1; number <= 5; number++) answer(table, 1, number);
    answer(table, 2, 1); // evicts client 1: low-water mark 5
    assertThat(table.check(9, 1)).isEqualTo(Verdict.REFUSE);
    long retryFrom = table.refuse(9, 1);
    assertThat(table.check(9, retryFrom - 1))
        .as("below where it retries")
        .isEqualTo(Verdict.REFUSE);
    answer(table, 9, retryFrom);
  }

  @Test
  void aNumberTooFarAheadIsRefusedAndNotRemembered() {
    ClientTable<String> table = new ClientTable<>(1);
    long tooFar = ClientTable.REQUEST_LEAD_MAX + 1;
    assertThat(table.check(1, tooFar)).isEqualTo(Verdict.REFUSE);
    assertThat(table.refuse(1, tooFar)).isEqualTo(1);
    assertThat(table.size()).isZero();
    answer(table, 1, tooFar - 1);
    answer(table, 2, 1); // evicts client 1
    assertThat(table.lowWater()).isEqualTo(tooFar - 1);
    answer(table, 3, tooFar); // a newcomer retrying from there is served
  }

  @Test
  void noReplyIsCachedForAnUnknownClient() {
    assertThatThrownBy(() -> new ClientTable<String>().reply(CLIENT))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void startingAnOlderRequestIsABug() {
    ClientTable<String> table = new ClientTable<>();
    table.start(CLIENT, 2);
    assertThatThrownBy(() -> table.start(CLIENT, 1)).isInstanceOf(AssertionError.class);
  }

  @Test
  void anEncodedTableDecodesAlikeAndABadOneIsMalformed() throws oskr.core.MalformedMessage {
    ClientTable<String> table = new ClientTable<>(4);
    table.start(CLIENT, 3);
    table.finish(CLIENT, 3, "three");
    table.start(CLIENT + 1, 1);
    oskr.core.Writer out = new oskr.core.Writer();
    table.encode(out, (writer, reply) -> writer.bytes(oskr.core.Bytes.utf8(reply)));
    ClientTable<String> copy =
        ClientTable.decode(new oskr.core.Reader(out.toArray()), 4, ClientTableTest::readReply);
    assertThat(copy.check(CLIENT, 3)).isEqualTo(Verdict.RESEND_REPLY);
    assertThat(copy.reply(CLIENT)).isEqualTo("three");
    assertThat(copy.check(CLIENT + 1, 1)).isEqualTo(Verdict.IN_PROGRESS);
    byte[] tooMany = out.toArray();
    assertThatThrownBy(
            () -> ClientTable.decode(new oskr.core.Reader(tooMany), 1, ClientTableTest::readReply))
        .isInstanceOf(oskr.core.MalformedMessage.class);
  }

  private static String readReply(oskr.core.Reader in) throws oskr.core.MalformedMessage {
    return in.bytes(100).utf8String();
  }
}
