package oskr.sim.dst;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import oskr.core.Address;
import oskr.core.Bytes;
import oskr.core.crypto.Crypto;
import oskr.protocol.Behaviour;
import oskr.protocol.ByzantineAdapter;
import oskr.protocol.Frames;
import oskr.sim.Filter;
import oskr.sim.Packet;
import oskr.sim.Rewrite;
import oskr.sim.SeededRandomness;
import oskr.sim.Simulation;

/**
 * The library of Byzantine behaviours, as network filters on what one replica sends: a correct
 * replica's code runs, and the filter turns its output into a Byzantine replica's. Generic
 * behaviours work on frames; the others call the protocol's {@link ByzantineAdapter}.
 */
public final class Byzantine {
  /** The longest hold of {@link Behaviour#DELAY}. */
  static final Duration DELAY_MAX = Duration.ofMillis(300);

  /** The share of sends {@link Behaviour#REPLAY} and {@link Behaviour#CORRUPT} act on. */
  static final double RATE = 0.3;

  /** Frames {@link Behaviour#REPLAY} remembers to send again. */
  static final int REPLAY_MEMORY = 64;

  private Byzantine() {}

  /**
   * The filter that makes replica {@code replica} of {@code sim} behave as {@code behaviour}.
   *
   * @throws IllegalArgumentException for a behaviour that needs an adapter the target lacks
   */
  public static <M> Filter filter(
      Behaviour behaviour, Simulation<M> sim, int replica, Optional<ByzantineAdapter<M>> adapter) {
    Address self = sim.replicaAddress(replica);
    return switch (behaviour) {
      case SILENT -> new Silent(self);
      case DELAY -> new Slow(self, DELAY_MAX);
      case REPLAY -> new Replay(self, RATE);
      case SUBSET -> new SendToSubset(self);
      case CORRUPT -> new CorruptFrames(self, RATE);
      case EQUIVOCATE, LIE_DIGEST, FALSE_VIEW, CORRUPT_AUTH ->
          adapted(behaviour, sim, replica, adapter);
      case TWINS ->
          throw new IllegalArgumentException("Twins is a second instance: Simulation.addTwin");
    };
  }

  private static <M> Filter adapted(
      Behaviour behaviour, Simulation<M> sim, int replica, Optional<ByzantineAdapter<M>> adapter) {
    if (adapter.isEmpty() || !adapter.get().behaviours().contains(behaviour)) {
      throw new IllegalArgumentException(
          sim.protocol().name() + " has no adapter for " + behaviour);
    }
    ByzantineAdapter<M> hooks = adapter.get();
    Address self = sim.replicaAddress(replica);
    Crypto crypto = sim.crypto(sim.keys().replica(replica));
    return Rewrite.messages(
        behaviour + " by replica " + replica,
        sim.protocol(),
        (packet, message, random) ->
            packet.from().equals(self)
                ? hooks.rewrite(
                    behaviour, message, replica, packet.to(), crypto, new SeededRandomness(random))
                : message);
  }

  /** Sends nothing. */
  record Silent(Address replica) implements Filter {
    static final String REASON = "byzantine: silent";

    @Override
    public void apply(Packet packet, Outlet out) {
      if (packet.from().equals(replica)) {
        out.drop(packet, REASON);
      } else {
        out.pass(packet);
      }
    }
  }

  /** Holds back each message by a uniform delay in [0, max]. */
  record Slow(Address replica, Duration max) implements Filter {
    @Override
    public void apply(Packet packet, Outlet out) {
      if (!packet.from().equals(replica)) {
        out.pass(packet);
        return;
      }
      out.pass(packet.delayedBy(Filter.upTo(out.random(), max.toNanos())));
    }
  }

  /** Alongside a share of its sends, sends one of its earlier frames again, to the same node. */
  static final class Replay implements Filter {
    private final Address replica;
    private final double rate;
    private final List<Bytes> sent = new ArrayList<>();
    private long next;

    Replay(Address replica, double rate) {
      this.replica = replica;
      this.rate = rate;
    }

    @Override
    public void apply(Packet packet, Outlet out) {
      out.pass(packet);
      if (!packet.from().equals(replica)) return;
      if (!sent.isEmpty() && Filter.chance(out.random(), rate)) {
        out.pass(packet.withFrame(sent.get(out.random().nextInt(sent.size()))));
      }
      // A ring of the latest frames: old enough to be stale, few enough to stay bounded.
      if (sent.size() < REPLAY_MEMORY) {
        sent.add(packet.frame());
      } else {
        sent.set((int) (next++ % REPLAY_MEMORY), packet.frame());
      }
    }

    @Override
    public String toString() {
      return "Replay(" + replica + ", rate " + rate + ")";
    }
  }

  /**
   * Sends only to some nodes: each destination is in or out, drawn at its first message and kept
   * for the run.
   */
  static final class SendToSubset implements Filter {
    static final String REASON = "byzantine: not in its subset";
    private final Address replica;
    private final TreeMap<Address, Boolean> reached = new TreeMap<>();

    SendToSubset(Address replica) {
      this.replica = replica;
    }

    @Override
    public void apply(Packet packet, Outlet out) {
      if (!packet.from().equals(replica)) {
        out.pass(packet);
        return;
      }
      boolean in = reached.computeIfAbsent(packet.to(), to -> out.random().nextBoolean());
      if (in) {
        out.pass(packet);
      } else {
        out.drop(packet, REASON);
      }
    }

    @Override
    public String toString() {
      return "SendToSubset(" + replica + ")";
    }
  }

  /** Flips one bit after the frame header in a share of its sends. */
  record CorruptFrames(Address replica, double rate) implements Filter {
    @Override
    public void apply(Packet packet, Outlet out) {
      Bytes frame = packet.frame();
      int body = frame.length() - Frames.HEADER_LENGTH;
      if (!packet.from().equals(replica) || body <= 0 || !Filter.chance(out.random(), rate)) {
        out.pass(packet);
        return;
      }
      byte[] bytes = frame.toArray();
      int bit = out.random().nextInt(body * 8);
      bytes[Frames.HEADER_LENGTH + bit / 8] ^= (byte) (1 << (bit % 8));
      out.pass(packet.withFrame(Bytes.adopt(bytes)));
    }
  }
}
