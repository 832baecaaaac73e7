package oskr.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import oskr.core.Bytes;
import oskr.protocol.Client;
import oskr.protocol.Completion;

/**
 * The closed-loop workload: each client invokes its operations one at a time, each op from the
 * {@link OpSource} (by default a unique byte string, {@code c3-17}: client 3's 17th op, so a double
 * execution shows in the replicas' histories), optionally after a seeded think time. Records every
 * invocation and completion for the checkers. Invocations are events of their own, never made from
 * inside a client's completion callback.
 */
final class Workload<M> {
  private static final long START_STAGGER_NANOS = 1_000_000;
  private static final int NONE = -1;

  /** Mixed into the seed for the workload's own generator. */
  private static final long WORKLOAD_STREAM = 0x6F736B72_776B6C64L;

  private final Simulation<M> sim;
  private final long opsPerClient;
  private final OpSource source;
  private final long thinkTimeMaxNanos;

  /** The ops' and think times' own generator: faults drawn elsewhere do not change the ops. */
  private final SplittableRandom random;

  private final long[] invoked;

  /** Per client, the index in {@link #history} of its outstanding operation, or {@link #NONE}. */
  private final int[] outstanding;

  private final List<ClientOperation> history = new ArrayList<>();
  private long completed;
  private final long[] completedByPath = new long[Completion.Path.values().length];
  private long completedAfterResend;

  Workload(
      Simulation<M> sim, int clients, long opsPerClient, OpSource source, Duration thinkTimeMax) {
    this.sim = sim;
    this.opsPerClient = opsPerClient;
    this.source = source;
    this.thinkTimeMaxNanos = thinkTimeMax.toNanos();
    this.random = new SplittableRandom(sim.seed() ^ WORKLOAD_STREAM);
    this.invoked = new long[clients];
    this.outstanding = new int[clients];
    Arrays.fill(outstanding, NONE);
  }

  /** Schedules each client's first operation, staggered by a seeded fraction of a millisecond. */
  void start() {
    for (int client = 0; client < invoked.length; client++) {
      scheduleNext(client, Filter.upTo(sim.random(), START_STAGGER_NANOS));
    }
  }

  private void scheduleNext(int client, long delayNanos) {
    sim.scheduler().after(delayNanos, () -> invokeNext(client));
  }

  private void invokeNext(int client) {
    SimNode<M> node = sim.clientNode(client);
    // Down: the restart resumes the loop. Outstanding: a restart already resumed it.
    if (invoked[client] >= opsPerClient || !node.isUp() || outstanding[client] != NONE) return;
    Client<M> protocolClient = node.client();
    assert !protocolClient.busy() : "client " + client + " busy with no outstanding operation";
    invoked[client]++;
    Bytes op = source.op(client, invoked[client], random);
    outstanding[client] = history.size();
    long now = sim.scheduler().now();
    history.add(ClientOperation.invoked(client, node.address(), node.clientId(), op, now));
    sim.trace("invoke " + node.address() + " " + source.describeOp(op));
    protocolClient.invoke(op);
  }

  /** The client's {@link oskr.protocol.Results} callback: it accepted {@code result}. */
  void completed(int client, Bytes result, Completion completion) {
    int index = outstanding[client];
    if (index == NONE) {
      throw new IllegalStateException("client " + client + " completed with nothing outstanding");
    }
    ClientOperation operation = history.get(index).completed(sim.scheduler().now(), result);
    history.set(index, operation);
    outstanding[client] = NONE;
    completed++;
    completedByPath[completion.path().ordinal()]++;
    if (completion.resends() > 0) completedAfterResend++;
    long latency = operation.completedNanos() - operation.invokedNanos();
    sim.trace(
        "complete "
            + operation.address()
            + " "
            + source.describeOp(operation.op())
            + " -> "
            + source.describeResult(operation.op(), result)
            + " after "
            + Trace.formatTime(latency).strip()
            + " ms"
            + describe(completion));
    scheduleNext(client, thinkTimeMaxNanos > 0 ? Filter.upTo(random, thinkTimeMaxNanos) : 0);
  }

  /** The client lost its state: its outstanding operation stays pending forever. */
  void crashedWithoutState(int client) {
    outstanding[client] = NONE;
  }

  void restarted(int client) {
    if (outstanding[client] == NONE) scheduleNext(client, 0);
  }

  /** Every client has invoked all its operations and none is outstanding. */
  boolean allDone() {
    for (int client = 0; client < invoked.length; client++) {
      if (invoked[client] < opsPerClient || outstanding[client] != NONE) return false;
    }
    return true;
  }

  long completed() {
    return completed;
  }

  private static String describe(Completion completion) {
    if (completion.equals(Completion.NORMAL)) return "";
    String path = completion.path() == Completion.Path.NORMAL ? "" : ", " + completion.path();
    String resends = completion.resends() == 0 ? "" : ", " + completion.resends() + " resend(s)";
    return path + resends;
  }

  /** Operations completed on {@code path}. */
  long completed(Completion.Path path) {
    return completedByPath[path.ordinal()];
  }

  /** Operations that completed after at least one resend. */
  long completedAfterResend() {
    return completedAfterResend;
  }

  List<ClientOperation> history() {
    return List.copyOf(history);
  }
}
