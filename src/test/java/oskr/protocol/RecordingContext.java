package oskr.protocol;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import oskr.core.Address;
import oskr.core.Config;
import oskr.core.crypto.Crypto;

/**
 * A {@link Context} for unit tests of one node: records every send, the armed timers and the
 * submitted jobs, and runs nothing by itself. A test feeds events to the node, looks at the
 * effects, and runs a pending job with {@link #runNextJob} to deliver its result as the runtime
 * would (later, as a new event).
 *
 * @param <M> the protocol's message type
 */
public final class RecordingContext<M> implements Context<M> {
  /** One message handed to the context, with where it was going. */
  public record Sent<M>(Address to, M message) {}

  private record PendingJob<R>(Job<R> job, JobDone<R> done) {
    void runAndDeliver(Crypto crypto) {
      done.onJobDone(job.run(crypto));
    }
  }

  private static final int JOBS_MAX = 10_000;

  private final Address self;
  private final Config config;
  private final List<Sent<M>> sent = new ArrayList<>();
  private final Map<TimerKey, Duration> armed = new LinkedHashMap<>();
  private final List<TimerKey> timersSet = new ArrayList<>();
  private final ArrayDeque<PendingJob<?>> jobs = new ArrayDeque<>();

  public RecordingContext(Address self, Config config) {
    this.self = self;
    this.config = config;
  }

  @Override
  public Address self() {
    return self;
  }

  @Override
  public void send(Address to, M message) {
    sent.add(new Sent<>(to, message));
  }

  @Override
  public void sendToReplica(int index, M message) {
    sent.add(new Sent<>(config.replica(index), message));
  }

  @Override
  public void broadcast(M message) {
    for (Address replica : config.replicas()) {
      if (!replica.equals(self)) sent.add(new Sent<>(replica, message));
    }
  }

  @Override
  public void setTimer(TimerKey key, Duration delay) {
    armed.put(key, delay);
    timersSet.add(key);
  }

  @Override
  public void cancelTimer(TimerKey key) {
    armed.remove(key);
  }

  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    jobs.add(new PendingJob<>(job, done));
  }

  /** Everything sent so far, oldest first. */
  public List<Sent<M>> sent() {
    return Collections.unmodifiableList(sent);
  }

  /** The messages sent so far, oldest first, without their destinations. */
  public List<M> sentMessages() {
    return sent.stream().map(Sent::message).toList();
  }

  /** Returns what was sent so far and forgets it, so the next check sees only new effects. */
  public List<Sent<M>> takeSent() {
    List<Sent<M>> taken = List.copyOf(sent);
    sent.clear();
    return taken;
  }

  /** The timers armed now, each with the delay it was last set to. */
  public Map<TimerKey, Duration> armedTimers() {
    return Collections.unmodifiableMap(armed);
  }

  /** Every key passed to {@link #setTimer}, in call order (re-arming counts again). */
  public List<TimerKey> timersSet() {
    return Collections.unmodifiableList(timersSet);
  }

  public int pendingJobs() {
    return jobs.size();
  }

  /** Runs the oldest pending job with {@code crypto} and delivers its result to its callback. */
  public void runNextJob(Crypto crypto) {
    PendingJob<?> job = jobs.poll();
    if (job == null) throw new IllegalStateException("no job was submitted");
    job.runAndDeliver(crypto);
  }

  /**
   * Runs pending jobs, oldest first, until none is left (also jobs submitted meanwhile); fails past
   * {@code JOBS_MAX} so a node that keeps submitting cannot hang the test.
   */
  public void runAllJobs(Crypto crypto) {
    for (int run = 0; !jobs.isEmpty(); run++) {
      if (run == JOBS_MAX) throw new IllegalStateException("more than " + JOBS_MAX + " jobs");
      runNextJob(crypto);
    }
  }

  /** SplitMix64 from a fixed seed: a unit test's draws are the same every run. */
  private final Randomness random =
      new Randomness() {
        private long state = 0x5eed;

        @Override
        public long nextLong() {
          long z = (state += 0x9E3779B97F4A7C15L);
          z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
          z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
          return z ^ (z >>> 31);
        }

        @Override
        public int nextInt(int bound) {
          if (bound <= 0) throw new IllegalArgumentException("bound " + bound);
          return (int) Math.floorMod(nextLong(), (long) bound);
        }
      };

  @Override
  public Randomness random() {
    return random;
  }
}
