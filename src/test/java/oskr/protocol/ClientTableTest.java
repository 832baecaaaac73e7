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

  @Test
  void aFullTableRefusesNewClientsButServesKnownOnes() {
    ClientTable<String> table = new ClientTable<>(2);
    table.start(1, 1);
    table.start(2, 1);
    assertThat(table.check(3, 1)).isEqualTo(Verdict.FULL);
    assertThat(table.check(1, 2)).isEqualTo(Verdict.NEW);
    assertThat(table.check(2, 1)).isEqualTo(Verdict.IN_PROGRESS);
    assertThat(table.size()).isEqualTo(2);
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
}
