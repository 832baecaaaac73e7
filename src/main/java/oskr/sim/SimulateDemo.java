package oskr.sim;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import oskr.core.Bytes;
import oskr.protocol.Protocol;
import oskr.registry.ProtocolRegistry;
import oskr.protocol.unreplicated.Unreplicated;
import oskr.protocol.unreplicated.UnreplicatedMessage;
import oskr.protocol.unreplicated.UnreplicatedMessage.Reply;

/**
 * {@code oskr simulate -m PROTOCOL --seed S}: runs a small simulated cluster with three clients
 * under drops, duplicates, reordering and delay (and, for signed Unreplicated, a network that
 * forges reply results), prints the trace and a summary, and checks exactly-once execution,
 * agreement and that no client accepted a forged result.
 */
public final class SimulateDemo {
  public static final int CLIENTS = 3;
  public static final long OPS_PER_CLIENT = 5;
  public static final Duration TIME_LIMIT = Duration.ofSeconds(30);
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private SimulateDemo() {}

  /**
   * Runs the demo and prints to {@code out}.
   *
   * @return {@link #EXIT_OK}, {@link #EXIT_FAILED} if an operation did not complete or a check
   *     failed, {@link #EXIT_USAGE} for an unknown protocol name
   */
  public static int run(String protocolName, long seed, PrintStream out) {
    Optional<Protocol<?>> protocol = ProtocolRegistry.find(protocolName);
    if (protocol.isEmpty()) {
      out.println(
          "unknown protocol '"
              + protocolName
              + "', expected one of "
              + String.join(", ", ProtocolRegistry.names()));
      return EXIT_USAGE;
    }
    return simulate(protocol.get(), seed, out);
  }

  private static <M> int simulate(Protocol<M> protocol, long seed, PrintStream out) {
    SimulationBuilder<M> builder =
        Simulation.builder(protocol, seed)
            .clients(CLIENTS)
            .opsPerClient(OPS_PER_CLIENT)
            .traceSink(out::println)
            .filter(new Drop(0.05))
            .filter(new Duplicate(0.05))
            .filter(new Reorder(0.1, Duration.ofMillis(5)))
            .filter(new Delay(Duration.ZERO, Duration.ofMillis(1)));
    Optional<Rewrite> forger = forger(protocol);
    forger.ifPresent(builder::filter);
    Simulation<M> sim = builder.build();
    RunStatus status = sim.runUntil(sim::allClientsDone, TIME_LIMIT);
    List<String> violations = new ArrayList<>();
    violations.addAll(Checks.allCompleted(sim.history()));
    violations.addAll(Checks.exactlyOnce(sim.executions()));
    violations.addAll(Checks.agreement(sim.executions()));
    violations.addAll(Checks.acceptedResultsExecuted(sim.history(), sim.executions()));
    printSummary(sim, status, forger, out);
    for (String violation : violations) out.println("VIOLATION " + violation);
    out.println(violations.isEmpty() ? "all checks passed" : violations.size() + " violations");
    return violations.isEmpty() && status == RunStatus.SATISFIED ? EXIT_OK : EXIT_FAILED;
  }

  /** For signed Unreplicated: a network that changes 10% of reply results, keeping signatures. */
  private static Optional<Rewrite> forger(Protocol<?> protocol) {
    if (protocol != Unreplicated.SIGNED) return Optional.empty();
    return Optional.of(
        Rewrite.messages(
            "forge 10% of reply results",
            Unreplicated.SIGNED,
            (packet, message, random) -> forgeReply(message, random.nextDouble() < 0.1)));
  }

  private static UnreplicatedMessage forgeReply(UnreplicatedMessage message, boolean forge) {
    if (!forge || !(message instanceof Reply reply)) return message;
    return new Reply(
        reply.clientId(), reply.requestNumber(), Bytes.utf8("forged"), reply.signature());
  }

  private static void printSummary(
      Simulation<?> sim, RunStatus status, Optional<Rewrite> forger, PrintStream out) {
    out.println();
    out.println(
        "summary: "
            + sim.protocol().name()
            + " seed "
            + sim.seed()
            + ", "
            + status
            + " after "
            + Trace.formatTime(sim.nowNanos()).strip()
            + " ms virtual time, "
            + sim.eventsRun()
            + " events, "
            + sim.framesSent()
            + " frames sent");
    out.println(
        "  operations completed: "
            + sim.completedOperations()
            + " of "
            + CLIENTS * OPS_PER_CLIENT
            + "; executions: "
            + sim.executions().size());
    out.println("  network drops: " + sim.networkDrops());
    forger.ifPresent(rewrite -> out.println("  replies forged: " + rewrite.rewritten()));
    for (int i = 0; i < sim.replicaCount(); i++) {
      out.println(
          "  replica "
              + sim.replicaAddress(i)
              + ": protocol drops "
              + sim.replica(i).drops()
              + ", receive drops "
              + sim.receiveDrops(sim.replicaAddress(i)));
    }
    for (int i = 0; i < sim.clientCount(); i++) {
      out.println(
          "  client "
              + sim.clientAddress(i)
              + ": protocol drops "
              + sim.client(i).drops()
              + ", receive drops "
              + sim.receiveDrops(sim.clientAddress(i)));
    }
    out.println("  trace hash: " + sim.traceHash());
  }

  /** {@code SimulateDemo [-m PROTOCOL] [--seed S]}, until the oskr command has a subcommand. */
  public static void main(String[] args) {
    String protocol = Unreplicated.PLAIN.name();
    long seed = 1;
    boolean usable = args.length % 2 == 0;
    for (int i = 0; usable && i < args.length; i += 2) {
      switch (args[i]) {
        case "-m" -> protocol = args[i + 1];
        case "--seed" -> {
          try {
            seed = Long.parseLong(args[i + 1]);
          } catch (NumberFormatException e) {
            usable = false;
          }
        }
        default -> usable = false;
      }
    }
    if (!usable) {
      System.err.println(
          "usage: SimulateDemo [-m " + String.join("|", ProtocolRegistry.names()) + "] [--seed S]");
      System.exit(EXIT_USAGE);
    }
    System.exit(run(protocol, seed, System.out));
  }
}
