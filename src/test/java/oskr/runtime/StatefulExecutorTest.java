package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.protocol.TimerKey;
import oskr.runtime.udp.Transport;

/** The guarantees of both stateful executors ({@link StageMode}); {@link MailboxTest} has more. */
class StatefulExecutorTest {
  private enum Key implements TimerKey {
    A,
    B,
    C
  }

  private static final long MILLIS = 1_000_000L;

  private final List<Worker> workers = new ArrayList<>();
  private StatefulExecutor stage;

  @AfterEach
  void stop() {
    if (stage != null) stage.close();
    for (Worker worker : workers) worker.close();
  }

  private StatefulExecutor create(StageMode mode, Duration spin) throws Exception {
    workers.add(new Worker(Transport.NIO, "test-w0", Keyring.forClient(Scheme.ED25519, List.of())));
    stage = StatefulExecutor.create(mode, "test", spin, workers.toArray(Worker[]::new));
    return stage;
  }

  private StatefulExecutor create(StageMode mode) throws Exception {
    return create(mode, Duration.ZERO);
  }

  @ParameterizedTest
  @CsvSource({"THREAD, 0", "THREAD, 20", "INLINE, 0"})
  void eventsRunOneAtATimeInPostOrderPerProducer(StageMode mode, long spinMicros) throws Exception {
    create(mode, Duration.ofNanos(spinMicros * 1000));
    stage.start();
    int producers = 3;
    int perProducer = 20_000;
    AtomicBoolean inside = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    long[] lastSeen = new long[producers]; // touched by stateful events only
    AtomicInteger outOfOrder = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(producers * perProducer);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long sequence = 1; sequence <= perProducer; sequence++) {
                      long mine = sequence;
                      stage.post(
                          () -> {
                            if (!inside.compareAndSet(false, true)) overlaps.incrementAndGet();
                            if (mine != lastSeen[producer] + 1) outOfOrder.incrementAndGet();
                            lastSeen[producer] = mine;
                            inside.set(false);
                            done.countDown();
                          });
                    }
                  }));
    }
    for (Thread thread : threads) thread.join();

    assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps.get()).isZero();
    assertThat(outOfOrder.get()).isZero();
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void timersFireReArmAndCancelAsStatefulEvents(StageMode mode) throws Exception {
    create(mode);
    LinkedBlockingQueue<Fired> fired = new LinkedBlockingQueue<>();
    AtomicBoolean inStage = new AtomicBoolean(true);
    Timers.Node[] node = new Timers.Node[1];
    stage.post(
        () ->
            node[0] =
                stage
                    .timers()
                    .node(
                        key -> {
                          if (!stage.inStage()) inStage.set(false);
                          fired.add(new Fired(key, System.nanoTime()));
                        }));
    stage.start();
    AtomicLong base = new AtomicLong();
    // One event arms, re-arms and cancels, all relative to one base time: a timer fires only as an
    // event of its own, never inside another, so however late this event runs or however long it
    // is preempted, B is cancelled before it can fire and A's new deadline precedes C's. (Posted
    // as separate events, a 50 ms stall between them let B fire before its cancel: allowed.)
    stage.post(
        () -> {
          long now = System.nanoTime();
          node[0].set(Key.A, now + 200 * MILLIS);
          node[0].set(Key.B, now + 50 * MILLIS);
          node[0].set(Key.C, now + 150 * MILLIS);
          node[0].set(Key.A, now + 100 * MILLIS); // re-armed earlier: now due before C
          node[0].cancel(Key.B);
          base.set(now);
        });

    Fired first = next(fired);
    Fired second = next(fired);
    assertThat(List.of(first.key(), second.key())).containsExactly(Key.A, Key.C);
    assertThat(first.at() - base.get()).as("A not early").isGreaterThanOrEqualTo(100 * MILLIS);
    assertThat(second.at() - base.get()).as("C not early").isGreaterThanOrEqualTo(150 * MILLIS);
    stage.post(() -> node[0].set(Key.B, System.nanoTime() + 10 * MILLIS)); // armed again
    assertThat(next(fired).key()).isEqualTo(Key.B);
    assertThat(fired.poll(300, TimeUnit.MILLISECONDS)).as("nothing else fires").isNull();
    assertThat(inStage.get()).isTrue();
  }

  private record Fired(TimerKey key, long at) {}

  private static Fired next(LinkedBlockingQueue<Fired> fired) throws InterruptedException {
    Fired next = fired.poll(5, TimeUnit.SECONDS);
    assertThat(next).as("a timer fires within 5 s").isNotNull();
    return next;
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void anEventThatThrowsStopsTheExecutorAndIsReported(StageMode mode) throws Exception {
    create(mode);
    stage.start();
    AtomicBoolean ranAfter = new AtomicBoolean();
    try (CapturedErrors errors = new CapturedErrors()) {
      stage.post(
          () -> {
            throw new IllegalStateException("planted bug");
          });
      stage.post(() -> ranAfter.set(true));

      Waits.until(() -> stage.failure() != null, 5);
      assertThat(stage.failure()).hasMessage("planted bug");
      Waits.until(() -> !errors.messages().isEmpty(), 5);
      assertThat(errors.messages()).singleElement().asString().endsWith("the node stops");
    }
    stage.post(() -> ranAfter.set(true));
    stage.close(); // returns once no event runs: a late event would have run by now
    assertThat(ranAfter.get()).isFalse();
    if (stage instanceof ProtocolThread thread) assertThat(thread.thread().isAlive()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void aFullInboxDropsMessagesButNeverOtherEvents(StageMode mode) throws Exception {
    create(mode);
    int accepted = 0;
    for (int i = 0; i < StatefulExecutor.INBOX_MAX + 10; i++)
      if (stage.postMessage(() -> {})) accepted++;
    CountDownLatch control = new CountDownLatch(1);
    stage.post(control::countDown);
    stage.start();

    assertThat(accepted).isEqualTo(StatefulExecutor.INBOX_MAX);
    assertThat(control.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(StageMode.class)
  void callAnswersAsAnEventAndAfterTheExecutorStopped(StageMode mode) throws Exception {
    create(mode);
    stage.start();
    assertThat(stage.call(() -> stage.inStage(), Duration.ofSeconds(5))).isTrue();
    assertThat(stage.inStage()).isFalse();
    stage.close();
    assertThat(stage.call(() -> "after", Duration.ofSeconds(5))).isEqualTo("after");
  }
}
