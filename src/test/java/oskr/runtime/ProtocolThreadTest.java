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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import oskr.protocol.TimerKey;

class ProtocolThreadTest {
  private enum Key implements TimerKey {
    A,
    B
  }

  private ProtocolThread stage;

  @AfterEach
  void stop() {
    if (stage != null) stage.close();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 20})
  void eventsRunOneAtATimeInPostOrderPerProducer(long spinMicros) throws Exception {
    stage = new ProtocolThread("test-protocol", Duration.ofNanos(spinMicros * 1000));
    stage.start();
    int producers = 3;
    int perProducer = 20_000;
    AtomicBoolean inside = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    long[] lastSeen = new long[producers]; // touched on the protocol thread only
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

  @Test
  void timersFireReArmAndCancelOnTheProtocolThread() throws Exception {
    stage = new ProtocolThread("test-protocol", Duration.ZERO);
    LinkedBlockingQueue<TimerKey> fired = new LinkedBlockingQueue<>();
    AtomicBoolean onProtocolThread = new AtomicBoolean(true);
    Timers.Node[] node = new Timers.Node[1];
    stage.post(
        () ->
            node[0] =
                stage
                    .timers()
                    .node(
                        key -> {
                          if (!stage.inThread()) onProtocolThread.set(false);
                          fired.add(key);
                        }));
    stage.start();
    long start = System.nanoTime();
    stage.post(
        () -> {
          node[0].set(Key.A, System.nanoTime() + 200_000_000L);
          node[0].set(Key.B, System.nanoTime() + 50_000_000L);
        });
    stage.post(() -> node[0].set(Key.A, System.nanoTime() + 100_000_000L)); // re-armed earlier
    stage.post(() -> node[0].cancel(Key.B));

    assertThat(fired.poll(5, TimeUnit.SECONDS)).isEqualTo(Key.A);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(100_000_000L);
    stage.post(() -> node[0].set(Key.B, System.nanoTime() + 10_000_000L)); // armed again
    assertThat(fired.poll(5, TimeUnit.SECONDS)).isEqualTo(Key.B);
    assertThat(fired.poll(300, TimeUnit.MILLISECONDS)).as("nothing else fires").isNull();
    assertThat(onProtocolThread.get()).isTrue();
  }

  @Test
  void anEventThatThrowsStopsTheThreadAndIsReported() throws Exception {
    stage = new ProtocolThread("test-protocol", Duration.ZERO);
    stage.start();
    AtomicBoolean ranAfter = new AtomicBoolean();
    stage.post(
        () -> {
          throw new IllegalStateException("planted bug");
        });
    stage.post(() -> ranAfter.set(true));

    stage.thread().join(5_000);
    assertThat(stage.thread().isAlive()).isFalse();
    assertThat(stage.failure()).hasMessage("planted bug");
    assertThat(ranAfter.get()).isFalse();
  }

  @Test
  void aFullInboxDropsMessagesButNeverOtherEvents() throws Exception {
    stage = new ProtocolThread("test-protocol", Duration.ZERO);
    int accepted = 0;
    for (int i = 0; i < ProtocolThread.INBOX_MAX + 10; i++)
      if (stage.postMessage(() -> {})) accepted++;
    CountDownLatch control = new CountDownLatch(1);
    stage.post(control::countDown);
    stage.start();

    assertThat(accepted).isEqualTo(ProtocolThread.INBOX_MAX);
    assertThat(control.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void callAnswersOnTheThreadAndAfterItStopped() throws Exception {
    stage = new ProtocolThread("test-protocol", Duration.ZERO);
    stage.start();
    assertThat(stage.call(() -> Thread.currentThread().getName(), Duration.ofSeconds(5)))
        .isEqualTo("test-protocol");
    stage.close();
    assertThat(stage.call(() -> "after", Duration.ofSeconds(5))).isEqualTo("after");
  }
}
