package oskr.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.runtime.udp.Transport;

/** The inline executor: who runs the events, hand-offs to workers, concurrent posters. */
class MailboxTest {
  private final List<Worker> workers = new ArrayList<>();
  private Mailbox mailbox;

  @AfterEach
  void stop() {
    if (mailbox != null) mailbox.close();
    for (Worker worker : workers) worker.close();
  }

  private Mailbox start(int workerCount) throws Exception {
    for (int i = 0; i < workerCount; i++) {
      workers.add(
          new Worker(Transport.NIO, "mailbox-w" + i, Keyring.forClient(Scheme.ED25519, List.of())));
    }
    mailbox = new Mailbox("mailbox-timers", workers.toArray(Worker[]::new));
    mailbox.start();
    return mailbox;
  }

  @Test
  void twoWorkersPostingConcurrentlyNeverOverlapAndKeepTheirOrder() throws Exception {
    start(2);
    int chunks = 2_000;
    int perChunk = 16; // small chunks: ownership moves between the workers again and again
    AtomicBoolean inside = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    long[] lastSeen = new long[workers.size()]; // touched by stateful events only
    ConcurrentHashMap<String, Boolean> runners = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(workers.size() * chunks * perChunk);
    for (int w = 0; w < workers.size(); w++) {
      int poster = w;
      for (int chunk = 0; chunk < chunks; chunk++) {
        long first = (long) chunk * perChunk + 1;
        workers
            .get(w)
            .loop
            .execute(
                () -> {
                  for (long sequence = first; sequence < first + perChunk; sequence++) {
                    long mine = sequence;
                    Runnable event =
                        () -> {
                          if (!inside.compareAndSet(false, true)) overlaps.incrementAndGet();
                          if (mine != lastSeen[poster] + 1) outOfOrder.incrementAndGet();
                          lastSeen[poster] = mine;
                          runners.put(Thread.currentThread().getName(), true);
                          inside.set(false);
                          done.countDown();
                        };
                    if (mine % 2 == 0) mailbox.post(event);
                    else assertThat(mailbox.postMessage(event)).isTrue();
                  }
                });
      }
    }

    assertThat(done.await(20, TimeUnit.SECONDS)).as("every event ran").isTrue();
    assertThat(overlaps.get()).as("two events at once").isZero();
    assertThat(outOfOrder.get()).as("events out of their poster's order").isZero();
    assertThat(runners.keySet()).isSubsetOf("mailbox-w0", "mailbox-w1");
  }

  @Test
  void anIdleMailboxRunsTheEventOnThePostingThread() throws Exception {
    start(1);
    Thread[] ranOn = new Thread[1];
    boolean[] inStage = new boolean[1];
    mailbox.post(
        () -> {
          ranOn[0] = Thread.currentThread();
          inStage[0] = mailbox.inStage();
        });

    assertThat(ranOn[0]).isSameAs(Thread.currentThread());
    assertThat(inStage[0]).isTrue();
    assertThat(mailbox.inStage()).isFalse();
  }

  @Test
  void aLongDrainContinuesOnAWorkerInOrder() throws Exception {
    start(1);
    int posted = 5 * Mailbox.DRAIN_MAX;
    List<String> runners = new ArrayList<>(); // stateful events only
    AtomicInteger outOfOrder = new AtomicInteger();
    int[] next = {0};
    CountDownLatch done = new CountDownLatch(posted);
    mailbox.post(
        () -> {
          for (int i = 0; i < posted; i++) {
            int mine = i;
            mailbox.post(
                () -> {
                  if (mine != next[0]++) outOfOrder.incrementAndGet();
                  runners.add(Thread.currentThread().getName());
                  done.countDown();
                });
          }
        });

    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(outOfOrder.get()).isZero();
    String self = Thread.currentThread().getName();
    assertThat(runners.subList(0, Mailbox.DRAIN_MAX - 1)).containsOnly(self);
    assertThat(runners.subList(Mailbox.DRAIN_MAX - 1, posted)).containsOnly("mailbox-w0");
  }

  @Test
  void eventsPostedBeforeStartRunAtStartInOrder() throws Exception {
    workers.add(
        new Worker(Transport.NIO, "mailbox-w0", Keyring.forClient(Scheme.ED25519, List.of())));
    mailbox = new Mailbox("mailbox-timers", workers.toArray(Worker[]::new));
    AtomicInteger ran = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    for (int i = 0; i < 10; i++) {
      int mine = i;
      mailbox.post(() -> outOfOrder.addAndGet(ran.getAndIncrement() == mine ? 0 : 1));
    }
    assertThat(ran.get()).as("nothing runs before start").isZero();

    mailbox.start(); // fewer than DRAIN_MAX: the starting thread runs them all
    assertThat(ran.get()).isEqualTo(10);
    assertThat(outOfOrder.get()).isZero();
  }
}
