package oskr.sim.dst;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import oskr.core.Address;
import oskr.protocol.Behaviour;
import oskr.protocol.FaultModel;
import oskr.protocol.SimulationTarget;
import oskr.sim.SimulationBuilder;

/**
 * One run of deterministic simulation testing, all drawn from its seed: the clients and their KV
 * workload, and the fault mix (swarm testing: each kind of fault is on or off per seed, at a seeded
 * strength) within the target's fault model. Faults last for the fault phase; then they heal
 * (network faults and partitions are removed, paused and crashed nodes come back) and the run must
 * finish within the target's liveness bound. Byzantine replicas and timer skew stay to the end.
 *
 * @param thinkTimeMax each client waits up to this long between its operations
 * @param timerSkews per node, the factor its timer durations are scaled by
 * @param byzantine per Byzantine replica index, its behaviour
 * @param twins per replica whose behaviour is {@link Behaviour#TWINS}, the nodes its twin talks
 *     with
 */
public record Scenario(
    long seed,
    int replicas,
    int f,
    int clients,
    long opsPerClient,
    Duration thinkTimeMax,
    KvWorkload workload,
    Duration faultPhase,
    NetworkFaults network,
    List<Episode> episodes,
    SortedMap<Address, Double> timerSkews,
    SortedMap<Integer, Behaviour> byzantine,
    SortedMap<Integer, SortedSet<Address>> twins) {
  /** Mixed into the seed for the scenario's own generator. */
  private static final long SCENARIO_STREAM = 0x6F736B72_7363656EL;

  /**
   * Mixed into the seed for fault schedules aimed at quorums. A stream of its own, as every fault
   * kind added later should have: seeds drawn before it existed (regression seeds) keep their
   * scenarios, except those it aims at.
   */
  private static final long AIMED_STREAM = 0x6F736B72_61696D73L;

  /** Mixed into the seed for the Twins draw, for the same reason. */
  private static final long TWINS_STREAM = 0x6F736B72_7477696EL;

  public Scenario {
    episodes = List.copyOf(episodes);
    timerSkews = Collections.unmodifiableSortedMap(new TreeMap<>(timerSkews));
    byzantine = Collections.unmodifiableSortedMap(new TreeMap<>(byzantine));
    twins = Collections.unmodifiableSortedMap(new TreeMap<>(twins));
    for (int replica : twins.keySet()) {
      if (byzantine.get(replica) != Behaviour.TWINS) {
        throw new IllegalArgumentException("twins of replica " + replica + " not Byzantine");
      }
    }
  }

  /** The scenario of {@code seed} for {@code target}: the same seed, the same scenario. */
  public static Scenario draw(SimulationTarget<?> target, long seed) {
    SplittableRandom random = new SplittableRandom(seed ^ SCENARIO_STREAM);
    FaultModel model = target.faultModel();
    int clients = 2 + random.nextInt(3);
    long ops = 5 + random.nextInt(21);
    Duration think = random.nextBoolean() ? Duration.ZERO : millis(1 + random.nextInt(20));
    KvWorkload workload = KvWorkload.draw(random);
    Duration phase = millis(20 + random.nextInt(381));
    NetworkFaults network = NetworkFaults.draw(random);
    Faulty faulty = Faulty.draw(random, target);
    List<Episode> episodes = new ArrayList<>();
    addPartitions(random, model.n(), clients, phase, episodes);
    addNodeEpisodes(random, model.n(), clients, phase, faulty, episodes);
    SortedMap<Address, Double> skews = skews(random, model.n(), clients);
    SplittableRandom aimed = new SplittableRandom(seed ^ AIMED_STREAM);
    if (faulty.none() && model.stateLoss() && aimed.nextInt(AIMED_ONE_IN) == 0) {
      phase = aimAtAQuorum(aimed, model, phase, episodes);
    }
    SortedMap<Integer, Behaviour> byzantine = new TreeMap<>(faulty.byzantine());
    SortedMap<Integer, SortedSet<Address>> twins =
        drawTwins(new SplittableRandom(seed ^ TWINS_STREAM), target, clients, byzantine);
    return new Scenario(
        seed, model.n(), model.f(), clients, ops, think, workload, phase, network, episodes, skews,
        byzantine, twins);
  }

  /**
   * Turns some Byzantine replicas into Twins, each with as much chance as one behaviour of the
   * library: its twin talks with each other replica and client with probability one half.
   */
  private static SortedMap<Integer, SortedSet<Address>> drawTwins(
      SplittableRandom random,
      SimulationTarget<?> target,
      int clients,
      SortedMap<Integer, Behaviour> byzantine) {
    SortedMap<Integer, SortedSet<Address>> twins = new TreeMap<>();
    int choices = library(target).size() + 1;
    for (int replica : List.copyOf(byzantine.keySet())) {
      if (random.nextInt(choices) != 0) continue;
      SortedSet<Address> side = new TreeSet<>();
      for (Address node : nodes(target.faultModel().n(), clients)) {
        if (!node.equals(SimulationBuilder.replicaAddress(replica)) && random.nextBoolean()) {
          side.add(node);
        }
      }
      byzantine.put(replica, Behaviour.TWINS);
      twins.put(replica, side);
    }
    return twins;
  }

  /** Of the seeds whose draw has no faulty replica, one in this many get an aimed schedule. */
  static final int AIMED_ONE_IN = 2;

  /** How long an aimed schedule's victim stays cut off at least: room for view changes. */
  static final Duration AIMED_CUT_OFF = Duration.ofMillis(1500);

  /**
   * A fault schedule aimed at a quorum one short, the mistake a quorum-counting bug makes: f+1
   * replicas S (V and W among them) hear the others but are not heard, one way, so S alone sees its
   * own votes and a replica that counts one vote too few decides there what the others never
   * prepared; then W, which voted, crashes losing its state (the one faulty replica), and V is cut
   * off from the replicas, so the next view is made without any replica that remembers. A correct
   * protocol waits; a weakened quorum rule breaks agreement. Replaces the node episodes of S.
   */
  private static Duration aimAtAQuorum(
      SplittableRandom random, FaultModel model, Duration phase, List<Episode> episodes) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < model.n(); i++) order.add(i);
    shuffle(random, order);
    TreeSet<Address> quorumSide = new TreeSet<>();
    TreeSet<Address> others = new TreeSet<>();
    for (int i = 0; i < order.size(); i++) {
      Address replica = SimulationBuilder.replicaAddress(order.get(i));
      (i <= model.f() ? quorumSide : others).add(replica);
    }
    Address victim = SimulationBuilder.replicaAddress(order.get(0));
    Address forgetful = SimulationBuilder.replicaAddress(order.get(1));
    episodes.removeIf(
        episode ->
            (episode instanceof Episode.Pause pause && quorumSide.contains(pause.node()))
                || (episode instanceof Episode.Amnesia amnesia
                    && quorumSide.contains(amnesia.node())));
    // Early, while the clients are busy; the victim stays cut off for long enough that the view
    // changes without it inside the fault phase (PBFT's view-change timeout is 500 ms).
    long start = random.nextLong(40_000);
    long split = start + 20_000 + random.nextLong(100_000);
    long restart = split + 200_000 + random.nextLong(400_000);
    long end =
        Math.max(phase.toNanos() / 1000, split + AIMED_CUT_OFF.toNanos() / 1000)
            + random.nextLong(1_000_000);
    episodes.add(new Episode.Cut(micros(start), micros(split), quorumSide, others, true));
    episodes.add(new Episode.Amnesia(micros((start + split) / 2), micros(restart), forgetful));
    TreeSet<Address> rest = new TreeSet<>(quorumSide);
    rest.addAll(others);
    rest.remove(victim);
    episodes.add(new Episode.Cut(micros(split), micros(end - 1), Set.of(victim), rest, false));
    return micros(end);
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  /** The replicas that may misbehave beyond asynchrony: at most f, Byzantine or amnesiac. */
  private record Faulty(SortedMap<Integer, Behaviour> byzantine, List<Integer> amnesiac) {
    boolean none() {
      return byzantine.isEmpty() && amnesiac.isEmpty();
    }

    static Faulty draw(SplittableRandom random, SimulationTarget<?> target) {
      FaultModel model = target.faultModel();
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < model.n(); i++) order.add(i);
      shuffle(random, order);
      int count = model.f() == 0 || random.nextBoolean() ? 0 : 1 + random.nextInt(model.f());
      List<Behaviour> library = library(target);
      SortedMap<Integer, Behaviour> byzantine = new TreeMap<>();
      List<Integer> amnesiac = new ArrayList<>();
      for (int replica : order.subList(0, count)) {
        boolean byzantineOne =
            model.byzantineMax() > 0 && (!model.stateLoss() || random.nextBoolean());
        if (byzantineOne) {
          byzantine.put(replica, library.get(random.nextInt(library.size())));
        } else if (model.stateLoss()) {
          amnesiac.add(replica);
        }
      }
      return new Faulty(byzantine, amnesiac);
    }
  }

  /** The generic behaviours and those the target's adapter adds, in declaration order. */
  static List<Behaviour> library(SimulationTarget<?> target) {
    EnumSet<Behaviour> behaviours = EnumSet.noneOf(Behaviour.class);
    for (Behaviour behaviour : Behaviour.values()) {
      // Twins has a draw of its own (drawTwins), so adding it left older seeds as they were.
      if (behaviour.generic() && behaviour != Behaviour.TWINS) behaviours.add(behaviour);
    }
    target.adapter().ifPresent(adapter -> behaviours.addAll(adapter.behaviours()));
    return List.copyOf(behaviours);
  }

  private static void addPartitions(
      SplittableRandom random, int replicas, int clients, Duration phase, List<Episode> out) {
    int count = random.nextInt(4);
    List<Address> nodes = nodes(replicas, clients);
    for (int i = 0; i < count; i++) {
      TreeSet<Address> sideA = new TreeSet<>();
      TreeSet<Address> sideB = new TreeSet<>();
      for (Address node : nodes) {
        switch (random.nextInt(3)) {
          case 0 -> sideA.add(node);
          case 1 -> sideB.add(node);
          default -> {}
        }
      }
      Duration[] window = window(random, Duration.ZERO, phase);
      boolean oneWay = random.nextBoolean();
      if (!sideA.isEmpty() && !sideB.isEmpty()) {
        out.add(new Episode.Cut(window[0], window[1], sideA, sideB, oneWay));
      }
    }
  }

  /**
   * Pauses for any replica and client, crashes that lose state for amnesiac replicas and any client
   * (whose outstanding operation then counts as timed out); one or two episodes per node, never
   * overlapping.
   */
  private static void addNodeEpisodes(
      SplittableRandom random,
      int replicas,
      int clients,
      Duration phase,
      Faulty faulty,
      List<Episode> out) {
    boolean pauses = random.nextBoolean();
    for (int i = 0; i < replicas; i++) {
      Address node = SimulationBuilder.replicaAddress(i);
      if (faulty.amnesiac().contains(i)) {
        addEpisodes(random, phase, node, true, out);
      } else if (pauses && random.nextBoolean()) {
        addEpisodes(random, phase, node, false, out);
      }
    }
    boolean clientFaults = random.nextBoolean();
    for (int i = 0; i < clients; i++) {
      if (!clientFaults || random.nextInt(3) != 0) continue;
      addEpisodes(random, phase, SimulationBuilder.clientAddress(i), random.nextBoolean(), out);
    }
  }

  private static void addEpisodes(
      SplittableRandom random, Duration phase, Address node, boolean amnesia, List<Episode> out) {
    int count = 1 + random.nextInt(2);
    Duration slot = phase.dividedBy(count);
    for (int i = 0; i < count; i++) {
      Duration[] window = window(random, slot.multipliedBy(i), slot.multipliedBy(i + 1));
      out.add(
          amnesia
              ? new Episode.Amnesia(window[0], window[1], node)
              : new Episode.Pause(window[0], window[1], node));
    }
  }

  /** A start and an end with {@code from <= start < end < to}, in whole microseconds. */
  private static Duration[] window(SplittableRandom random, Duration from, Duration to) {
    long low = from.toNanos() / 1000;
    long high = to.toNanos() / 1000 - 1;
    long start = low + random.nextLong(Math.max(1, (high - low) / 2));
    long end = start + 1 + random.nextLong(Math.max(1, high - start - 1));
    return new Duration[] {Duration.ofNanos(start * 1000), Duration.ofNanos(end * 1000)};
  }

  private static SortedMap<Address, Double> skews(
      SplittableRandom random, int replicas, int clients) {
    SortedMap<Address, Double> skews = new TreeMap<>();
    if (random.nextBoolean()) return skews;
    for (Address node : nodes(replicas, clients)) {
      if (random.nextBoolean()) {
        skews.put(node, Math.round(random.nextDouble(0.5, 2.0) * 100) / 100.0);
      }
    }
    return skews;
  }

  private static List<Address> nodes(int replicas, int clients) {
    List<Address> nodes = new ArrayList<>();
    for (int i = 0; i < replicas; i++) nodes.add(SimulationBuilder.replicaAddress(i));
    for (int i = 0; i < clients; i++) nodes.add(SimulationBuilder.clientAddress(i));
    return nodes;
  }

  private static <T> void shuffle(SplittableRandom random, List<T> list) {
    for (int i = list.size() - 1; i > 0; i--) Collections.swap(list, i, random.nextInt(i + 1));
  }

  private static Duration millis(long millis) {
    return Duration.ofMillis(millis);
  }

  /** This scenario with other Byzantine replicas: a test's way outside the fault model. */
  public Scenario withByzantine(SortedMap<Integer, Behaviour> behaviours) {
    SortedMap<Integer, SortedSet<Address>> keptTwins = new TreeMap<>(twins);
    keptTwins.keySet().removeIf(replica -> behaviours.get(replica) != Behaviour.TWINS);
    return withFaultyReplicas(behaviours, keptTwins);
  }

  /**
   * This scenario with replica {@code replica} run as Twins, the twin talking with {@code side}.
   */
  public Scenario withTwins(int replica, SortedSet<Address> side) {
    SortedMap<Integer, Behaviour> behaviours = new TreeMap<>(byzantine);
    behaviours.put(replica, Behaviour.TWINS);
    SortedMap<Integer, SortedSet<Address>> sides = new TreeMap<>(twins);
    sides.put(replica, new TreeSet<>(side));
    return withFaultyReplicas(behaviours, sides);
  }

  private Scenario withFaultyReplicas(
      SortedMap<Integer, Behaviour> behaviours, SortedMap<Integer, SortedSet<Address>> sides) {
    return new Scenario(
        seed,
        replicas,
        f,
        clients,
        opsPerClient,
        thinkTimeMax,
        workload,
        faultPhase,
        network,
        episodes,
        timerSkews,
        behaviours,
        sides);
  }

  /** This scenario with other network faults. */
  public Scenario withNetwork(NetworkFaults faults) {
    return new Scenario(
        seed,
        replicas,
        f,
        clients,
        opsPerClient,
        thinkTimeMax,
        workload,
        faultPhase,
        faults,
        episodes,
        timerSkews,
        byzantine,
        twins);
  }

  /** Readable lines: the run's shape and every fault in it. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "scenario of seed %d: %d replicas (f = %d), %d clients x %d ops, think time up to %d"
                + " ms",
            seed,
            replicas,
            f,
            clients,
            opsPerClient,
            thinkTimeMax.toMillis()));
    lines.add("  " + workload);
    lines.add("  fault phase " + faultPhase.toMillis() + " ms: " + network);
    for (Episode episode : episodes) lines.add("  " + episode);
    timerSkews.forEach((node, factor) -> lines.add("  timer skew " + node + " x" + factor));
    byzantine.forEach(
        (replica, behaviour) ->
            lines.add(
                "  byzantine replica "
                    + replica
                    + ": "
                    + behaviour
                    + (twins.containsKey(replica)
                        ? ", the twin talks with " + twins.get(replica)
                        : "")));
    return lines;
  }
}
