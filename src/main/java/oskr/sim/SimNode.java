package oskr.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import oskr.core.Address;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Job;
import oskr.protocol.JobDone;
import oskr.protocol.Node;
import oskr.protocol.Randomness;
import oskr.protocol.Replica;
import oskr.protocol.TimerKey;

/**
 * One simulated node (replica or client) and its {@link Context}: every effect becomes an event of
 * the simulation's scheduler, never a call back into the node. Survives crashes: the protocol
 * object inside is kept or replaced on restart.
 */
final class SimNode<M> implements Context<M> {
  enum Role {
    REPLICA,
    CLIENT
  }

  private final Simulation<M> sim;
  private final Address address;
  private final Role role;
  private final int index;
  private final Crypto crypto;
  private final Drops receiveDrops = new Drops();

  /**
   * Looked up by key and cancelled all at once on a crash, never iterated in an order that matters.
   */
  private final HashMap<TimerKey, Scheduler.Event> timers = new HashMap<>();

  private Node<M> node;
  private boolean up = true;
  private boolean keepStateOnRestart;

  /** Down by {@link #pause}: timers and jobs that come due wait in {@link #deferred}. */
  private boolean paused;

  /** Jobs that came due while paused, in order; run again on {@link #resume}. */
  private final List<Runnable> deferred = new ArrayList<>();

  /** Timers that came due while paused, in order; still armed, they fire after the resume. */
  private final List<TimerFiring> deferredTimers = new ArrayList<>();

  /** Multiplies every timer duration: this node's clock runs slow (above 1) or fast (below 1). */
  private double timerSkew = 1.0;

  /** Crashes so far: a job or timer of an earlier epoch died with the crash. */
  private int epoch;

  /** Restarts with lost state so far: which fresh protocol object this is. */
  private int incarnation;

  private long clientId;
  private long jobs;
  private Randomness random;

  /** Which addresses this node's sends may reach: all, except for a replica with a twin. */
  private Predicate<Address> reachable = to -> true;

  SimNode(Simulation<M> sim, Address address, Role role, int index, Crypto crypto) {
    this.sim = sim;
    this.address = address;
    this.role = role;
    this.index = index;
    this.crypto = crypto;
  }

  void install(Node<M> protocolNode, long newClientId) {
    this.node = protocolNode;
    this.clientId = newClientId;
    this.random = null; // a node that lost its state draws anew (a fresh recovery nonce)
  }

  /** The node's start event: at the start of the run, and after every restart. */
  void start() {
    assert up : address + " starts while down";
    sim.trace("start " + address);
    node.onStart();
  }

  /**
   * Seeded by the run, the node and its incarnation, and made only when first used: protocols that
   * draw nothing leave the run's other random draws as they were.
   */
  @Override
  public Randomness random() {
    if (random == null) {
      long mixed = sim.seed() * 0x9E3779B97F4A7C15L ^ address.hashCode() * 31L + incarnation;
      random = new SeededRandomness(new SplittableRandom(mixed));
    }
    return random;
  }

  void crash(boolean keepState) {
    if (!up) throw new IllegalStateException(address + " is already down");
    up = false;
    keepStateOnRestart = keepState;
    epoch++;
    for (Scheduler.Event timer : timers.values()) timer.cancel();
    timers.clear();
  }

  /** Brings the node back up; returns whether its protocol object must be made afresh. */
  boolean restart() {
    if (up) throw new IllegalStateException(address + " is not down");
    if (paused) throw new IllegalStateException(address + " is paused, not crashed");
    up = true;
    if (keepStateOnRestart) return false;
    incarnation++;
    return true;
  }

  /**
   * Freezes the node, as a stopped process or a stalled machine: it drops what arrives, and its
   * timers and jobs that come due wait until {@link #resume}. Nothing of its state is lost.
   */
  void pause() {
    if (!up) throw new IllegalStateException(address + " is already down");
    up = false;
    paused = true;
  }

  /** Unfreezes a paused node; what came due meanwhile runs now, in the order it came due. */
  void resume() {
    if (!paused) throw new IllegalStateException(address + " is not paused");
    up = true;
    paused = false;
    // Re-armed here, not from an event of their own: the node may cancel or reset them at once.
    for (TimerFiring firing : deferredTimers) firing.arm(0);
    deferredTimers.clear();
    for (Runnable action : deferred) sim.scheduler().after(0, action);
    deferred.clear();
  }

  boolean isPaused() {
    return paused;
  }

  void timerSkew(double factor) {
    if (!(factor > 0)) throw new IllegalArgumentException("timer skew must be positive: " + factor);
    this.timerSkew = factor;
  }

  double timerSkew() {
    return timerSkew;
  }

  @Override
  public Address self() {
    return address;
  }

  @Override
  public void send(Address to, M message) {
    assert up : address + " sends while down";
    if (!reachable.test(to)) {
      sim.trace("twins: " + address + " does not reach " + to);
      return;
    }
    sim.transmit(address, to, message);
  }

  /** From now on, sends reach only the addresses {@code reachable} accepts (Twins). */
  void confineTo(Predicate<Address> reachable) {
    this.reachable = reachable;
  }

  @Override
  public void sendToReplica(int replica, M message) {
    send(sim.config().replica(replica), message);
  }

  @Override
  public void broadcast(M message) {
    for (Address replica : sim.config().replicas()) {
      if (!replica.equals(address)) send(replica, message);
    }
  }

  @Override
  public void setTimer(TimerKey key, Duration delay) {
    assert up : address + " sets a timer while down";
    cancelTimer(key);
    TimerFiring firing = new TimerFiring(key);
    firing.arm(Math.round(delay.toNanos() * timerSkew));
  }

  @Override
  public void cancelTimer(TimerKey key) {
    Scheduler.Event armed = timers.remove(key);
    if (armed != null) armed.cancel();
  }

  private final class TimerFiring implements Runnable {
    private final TimerKey key;
    private Scheduler.Event event;

    TimerFiring(TimerKey key) {
      this.key = key;
    }

    void arm(long delayNanos) {
      event = sim.scheduler().after(delayNanos, this);
      timers.put(key, event);
    }

    @Override
    public void run() {
      if (paused) {
        deferredTimers.add(this);
        return;
      }
      boolean armed = timers.remove(key, event);
      assert armed : "a cancelled timer fired: " + key;
      sim.trace("timer " + address + " " + key);
      node.onTimer(key);
    }
  }

  @Override
  public <R> void submit(Job<R> job, JobDone<R> done) {
    assert up : address + " submits a job while down";
    long id = ++jobs;
    int submittedEpoch = epoch;
    sim.scheduler().after(sim.jobDelay(), () -> runJob(id, submittedEpoch, job, done));
  }

  private <R> void runJob(long id, int submittedEpoch, Job<R> job, JobDone<R> done) {
    if (paused) {
      deferred.add(() -> runJob(id, submittedEpoch, job, done));
      return;
    }
    if (submittedEpoch != epoch) {
      sim.trace("job " + address + " #" + id + " lost in a crash");
      return;
    }
    R result = job.run(crypto);
    sim.trace("job " + address + " #" + id + " ran");
    // The result returns to the protocol thread as an event of its own, as in the stage.
    sim.scheduler().after(0, () -> jobDone(id, submittedEpoch, done, result));
  }

  private <R> void jobDone(long id, int submittedEpoch, JobDone<R> done, R result) {
    if (paused) {
      deferred.add(() -> jobDone(id, submittedEpoch, done, result));
      return;
    }
    if (submittedEpoch != epoch) {
      sim.trace("job " + address + " #" + id + " result lost in a crash");
      return;
    }
    sim.trace("job " + address + " #" + id + " done");
    done.onJobDone(result);
  }

  Address address() {
    return address;
  }

  Role role() {
    return role;
  }

  int index() {
    return index;
  }

  boolean isUp() {
    return up;
  }

  Node<M> node() {
    return node;
  }

  Replica<M> replica() {
    if (role != Role.REPLICA) throw new IllegalStateException(address + " is not a replica");
    return (Replica<M>) node;
  }

  Client<M> client() {
    if (role != Role.CLIENT) throw new IllegalStateException(address + " is not a client");
    return (Client<M>) node;
  }

  long clientId() {
    return clientId;
  }

  int incarnation() {
    return incarnation;
  }

  Crypto crypto() {
    return crypto;
  }

  Drops receiveDrops() {
    return receiveDrops;
  }

  int timersArmed() {
    return timers.size();
  }
}
