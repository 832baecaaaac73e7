package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import oskr.protocol.TimerKey;

class TimersTest {
  private enum Key implements TimerKey {
    VIEW_CHANGE,
    RESEND
  }

  private final Timers timers = new Timers();
  private final List<TimerKey> fired = new ArrayList<>();
  private final Timers.Node node = timers.node(fired::add);

  @Test
  void aTimerFiresOnceAtItsDeadline() {
    node.set(Key.RESEND, 100);

    assertThat(timers.fireDue(99)).isZero();
    assertThat(timers.fireDue(100)).isEqualTo(1);
    assertThat(timers.fireDue(1_000)).isZero();
    assertThat(fired).containsExactly(Key.RESEND);
    assertThat(node.armed(Key.RESEND)).isFalse();
  }

  @Test
  void reArmingLaterOnEveryRequestKeepsOneQueuedCheck() {
    for (long now = 0; now < 10_000; now++) node.set(Key.VIEW_CHANGE, now + 500);

    assertThat(timers.queuedChecks()).isEqualTo(1);
    assertThat(timers.fireDue(500)).as("the first deadline moved on").isZero();
    assertThat(timers.nextCheck()).isEqualTo(9_999 + 500);
    assertThat(timers.fireDue(10_498)).isZero();
    assertThat(timers.fireDue(10_499)).isEqualTo(1);
  }

  @Test
  void aCancelledTimerNeverFires() {
    node.set(Key.RESEND, 100);
    node.cancel(Key.RESEND);

    assertThat(timers.fireDue(1_000)).isZero();
    assertThat(fired).isEmpty();
    assertThat(timers.queuedChecks()).isZero();
  }

  @Test
  void reArmingEarlierMovesTheCheck() {
    node.set(Key.RESEND, 1_000);
    node.set(Key.RESEND, 10);

    assertThat(timers.nextCheck()).isEqualTo(10);
    assertThat(timers.fireDue(10)).isEqualTo(1);
    assertThat(timers.queuedChecks()).isZero();
  }

  @Test
  void cancelThenSetArmsAgain() {
    node.set(Key.RESEND, 100);
    node.cancel(Key.RESEND);
    node.set(Key.RESEND, 300);

    assertThat(timers.fireDue(100)).isZero();
    assertThat(timers.fireDue(300)).isEqualTo(1);
  }

  @Test
  void keysAndNodesAreIndependent() {
    List<TimerKey> otherFired = new ArrayList<>();
    Timers.Node other = timers.node(otherFired::add);
    node.set(Key.RESEND, 10);
    node.set(Key.VIEW_CHANGE, 20);
    other.set(Key.RESEND, 15);
    node.cancel(Key.VIEW_CHANGE);

    timers.fireDue(100);

    assertThat(fired).containsExactly(Key.RESEND);
    assertThat(otherFired).containsExactly(Key.RESEND);
  }

  @Test
  void deadlinesCompareAcrossTheNanoTimeWrap() {
    long nearWrap = Long.MAX_VALUE - 5;
    node.set(Key.RESEND, nearWrap + 10); // wraps to a negative value

    assertThat(timers.fireDue(nearWrap)).isZero();
    assertThat(timers.fireDue(nearWrap + 10)).isEqualTo(1);
  }

  @Test
  void aTimerReArmedWithZeroDelayInItsCallbackWaitsForTheNextCall() {
    Timers.Node[] self = new Timers.Node[1];
    self[0] = timers.node(key -> self[0].set(key, 50));
    self[0].set(Key.RESEND, 50);

    assertThat(timers.fireDue(50)).isEqualTo(1);
    assertThat(timers.fireDue(50)).isEqualTo(1);
  }

  @Test
  void checksChangeOnlyWhenTheHeapDoes() {
    node.set(Key.RESEND, 100);
    assertThat(timers.takeChecksChanged()).as("armed").isTrue();
    assertThat(timers.takeChecksChanged()).as("taken").isFalse();
    node.set(Key.RESEND, 200);
    assertThat(timers.takeChecksChanged()).as("re-armed later: same check").isFalse();
    node.set(Key.RESEND, 50);
    assertThat(timers.takeChecksChanged()).as("re-armed earlier").isTrue();
    timers.fireDue(60);
    assertThat(timers.takeChecksChanged()).as("fired").isTrue();
  }
}
