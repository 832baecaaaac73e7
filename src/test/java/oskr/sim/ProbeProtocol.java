package oskr.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.protocol.Client;
import oskr.protocol.ClientSetup;
import oskr.protocol.Codec;
import oskr.protocol.Completion;
import oskr.protocol.Context;
import oskr.protocol.Drops;
import oskr.protocol.Protocol;
import oskr.protocol.Rejected;
import oskr.protocol.Replica;
import oskr.protocol.ReplicaSetup;
import oskr.protocol.SimulationTarget;
import oskr.protocol.TimerKey;

/**
 * A tiny protocol for testing the simulator itself: one message, {@code Note(value, body)}; the
 * replica executes every note it gets from a non-replica (no client table: a duplicate executes
 * twice, on purpose) and answers with the result; the client resends until answered. Replicas log
 * what happens to them, with the virtual time, for ordering tests.
 */
final class ProbeProtocol implements Protocol<ProbeProtocol.Note> {
  static final String NEGATIVE = "negative note";
  static final Duration RESEND = Duration.ofMillis(50);

  record Note(long value, Bytes body) {}

  record Tick(String name) implements TimerKey {}

  /** The simulation's clock, set by the test once the simulation exists. */
  LongSupplier clock = () -> -1;

  final List<ProbeReplica> replicasMade = new ArrayList<>();

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public int id() {
    return 200;
  }

  @Override
  public boolean usesSignatures() {
    return false;
  }

  @Override
  public void checkConfig(Config config, String fileName) {}

  @Override
  public Codec<Note> codec() {
    return new Codec<>() {
      @Override
      public void encode(Note message, Writer out) {
        out.u8(1).i64(message.value()).bytes(message.body());
      }

      @Override
      public Note decode(Reader in) throws MalformedMessage {
        if (in.u8() != 1) throw MalformedMessage.of("unknown tag");
        return new Note(in.i64(), in.bytes(Limits.OP_MAX));
      }
    };
  }

  @Override
  public void verify(Note message, Address from, Config config, Crypto crypto) throws Rejected {
    if (message.value() < 0) throw Rejected.of(NEGATIVE);
  }

  @Override
  public Replica<Note> replica(ReplicaSetup<Note> setup) {
    ProbeReplica replica = new ProbeReplica(setup, this);
    replicasMade.add(replica);
    return replica;
  }

  @Override
  public Client<Note> client(ClientSetup<Note> setup) {
    return new ProbeClient(setup);
  }

  /** A simulator fixture, not a protocol the suite tests. */
  @Override
  public List<SimulationTarget<Note>> simulationTargets() {
    return List.of();
  }

  static final class ProbeReplica implements Replica<Note> {
    final Context<Note> context;
    final List<String> log = new ArrayList<>();
    private final ProbeProtocol protocol;
    private final Config config;
    private final App app;
    private final ReplicaSetup.Start start;
    private final Drops drops = new Drops();
    private long opNumber;

    /** Each start event: how the replica came up, and what the context's random source gave. */
    final List<String> starts = new ArrayList<>();

    ProbeReplica(ReplicaSetup<Note> setup, ProbeProtocol protocol) {
      this.context = setup.context();
      this.start = setup.start();
      this.protocol = protocol;
      this.config = setup.config();
      this.app = setup.app();
    }

    void log(String event) {
      log.add(protocol.clock.getAsLong() / 1_000_000 + "ms " + event);
    }

    /** Draws from the context at once: it must be attached by now. */
    @Override
    public void onStart() {
      starts.add(start + " " + context.random().nextLong());
    }

    @Override
    public void onMessage(Address from, Note note) {
      log("note " + note.value() + " from " + from.host());
      if (config.indexOf(from) >= 0) return;
      Bytes result = app.execute(++opNumber, note.body());
      context.send(from, new Note(note.value(), result));
    }

    @Override
    public void onTimer(TimerKey key) {
      log("timer " + ((Tick) key).name());
    }

    @Override
    public Drops drops() {
      return drops;
    }
  }

  static final class ProbeClient implements Client<Note> {
    private enum Timer implements TimerKey {
      RESEND
    }

    private final ClientSetup<Note> setup;
    private final Drops drops = new Drops();
    private long number;
    private Note outstanding;

    ProbeClient(ClientSetup<Note> setup) {
      this.setup = setup;
    }

    @Override
    public void invoke(Bytes op) {
      if (outstanding != null) throw new IllegalStateException("busy");
      outstanding = new Note(++number, op);
      setup.context().sendToReplica(0, outstanding);
      setup.context().setTimer(Timer.RESEND, RESEND);
    }

    @Override
    public boolean busy() {
      return outstanding != null;
    }

    @Override
    public void onMessage(Address from, Note note) {
      if (outstanding == null || note.value() != outstanding.value()) {
        drops.count("stale");
        return;
      }
      outstanding = null;
      setup.context().cancelTimer(Timer.RESEND);
      setup.results().complete(note.body(), Completion.NORMAL);
    }

    @Override
    public void onTimer(TimerKey key) {
      if (outstanding == null) return;
      setup.context().sendToReplica(0, outstanding);
      setup.context().setTimer(Timer.RESEND, RESEND);
    }

    @Override
    public Drops drops() {
      return drops;
    }
  }
}
