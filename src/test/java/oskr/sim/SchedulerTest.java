package oskr.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
  private final Scheduler scheduler = new Scheduler(1_000, 100);
  private final List<String> ran = new ArrayList<>();

  private Runnable record(String name) {
    return () -> ran.add(name + "@" + scheduler.now());
  }

  @Test
  void eventsRunInDeadlineOrder() {
    scheduler.at(30, record("c"));
    scheduler.at(10, record("a"));
    scheduler.at(20, record("b"));
    assertThat(scheduler.run(() -> false, 100)).isEqualTo(RunStatus.IDLE);
    assertThat(ran).containsExactly("a@10", "b@20", "c@30");
  }

  @Test
  void equalTimeEventsRunInTheOrderTheyWereScheduled() {
    for (String name : List.of("x", "y", "z", "w")) scheduler.at(5, record(name));
    scheduler.run(() -> false, 100);
    assertThat(ran).containsExactly("x@5", "y@5", "z@5", "w@5");
  }

  @Test
  void cancelledEventNeverRunsAndIsNotCounted() {
    Scheduler.Event cancelled = scheduler.at(10, record("cancelled"));
    scheduler.at(20, record("kept"));
    cancelled.cancel();
    scheduler.run(() -> false, 100);
    assertThat(ran).containsExactly("kept@20");
    assertThat(scheduler.eventsRun()).isEqualTo(1);
  }

  @Test
  void anEventScheduledWithZeroDelayRunsAfterTheCurrentOneNotInsideIt() {
    scheduler.at(
        10,
        () -> {
          scheduler.after(0, record("effect"));
          ran.add("cause ends");
        });
    scheduler.at(10, record("already due"));
    scheduler.run(() -> false, 100);
    assertThat(ran).containsExactly("cause ends", "already due@10", "effect@10");
  }

  @Test
  void stopsAtTheTimeLimitWithTheClockOnIt() {
    scheduler.at(10, record("early"));
    scheduler.at(60, record("late"));
    assertThat(scheduler.run(() -> false, 50)).isEqualTo(RunStatus.TIME_LIMIT);
    assertThat(ran).containsExactly("early@10");
    assertThat(scheduler.now()).isEqualTo(50);
    assertThat(scheduler.run(() -> false, 100)).isEqualTo(RunStatus.IDLE);
    assertThat(ran).containsExactly("early@10", "late@60");
  }

  @Test
  void stopsWhenTheConditionHoldsBeforeTheNextEvent() {
    for (int t = 1; t <= 5; t++) scheduler.at(t, record("e" + t));
    assertThat(scheduler.run(() -> ran.size() == 2, 100)).isEqualTo(RunStatus.SATISFIED);
    assertThat(ran).containsExactly("e1@1", "e2@2");
    assertThat(scheduler.now()).isEqualTo(2);
  }

  @Test
  void stopsForGoodAtTheEventLimit() {
    Scheduler small = new Scheduler(3, 100);
    for (int t = 1; t <= 5; t++) small.at(t, () -> {});
    assertThat(small.run(() -> false, 100)).isEqualTo(RunStatus.EVENT_LIMIT);
    assertThat(small.eventsRun()).isEqualTo(3);
    assertThat(small.run(() -> false, 100)).isEqualTo(RunStatus.EVENT_LIMIT);
    assertThat(small.eventsRun()).isEqualTo(3);
  }

  @Test
  void refusesThePastAndTooManyPendingEvents() {
    scheduler.at(10, () -> {});
    scheduler.run(() -> false, 20);
    assertThatThrownBy(() -> scheduler.at(5, () -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    Scheduler tiny = new Scheduler(10, 2);
    tiny.at(1, () -> {});
    tiny.at(1, () -> {});
    assertThatThrownBy(() -> tiny.at(1, () -> {})).isInstanceOf(IllegalStateException.class);
  }
}
