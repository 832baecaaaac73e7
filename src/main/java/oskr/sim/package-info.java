/**
 * The deterministic simulator: every replica, client, timer and stateless job of one protocol run
 * as events of one seeded scheduler, on the calling thread, over an in-memory network with a
 * virtual clock. The same seed and the same calls give the same run, event for event; {@link
 * oskr.sim.Simulation#traceHash()} proves it.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link oskr.sim.Simulation} (made by {@link oskr.sim.SimulationBuilder}): the nodes, the
 *       closed-loop workload, faults ({@code crash}, {@code restart}, {@code partition}, {@code
 *       heal}, {@code inject}), runs bounded by virtual time and an event count, and what was
 *       recorded: client history, executions, drop counters, the trace.
 *   <li>{@link oskr.sim.Scheduler}: the virtual clock and the event queue, ordered by (time,
 *       sequence), so equal-time events run in the order they were scheduled.
 *   <li>Network filters ({@link oskr.sim.Filter}): {@link oskr.sim.Drop}, {@link oskr.sim.Delay},
 *       {@link oskr.sim.Duplicate}, {@link oskr.sim.Reorder}, {@link oskr.sim.Partition}, {@link
 *       oskr.sim.Rewrite} (message or frame level, for Byzantine behaviour), {@link
 *       oskr.sim.Corrupt} (bit flips); a chain in the order added, each scoped with {@code onlyIf}.
 *   <li>{@link oskr.sim.Checks}: exactly-once, agreement, no forged result accepted, all done.
 *   <li>{@link oskr.sim.dst}: deterministic simulation testing on top of all this, behind {@code
 *       oskr simulate -m PROTOCOL --seeds N [--seed S]}.
 * </ul>
 *
 * <h2>As on the wire</h2>
 *
 * Every message is encoded with {@link oskr.protocol.Frames#encode} when sent, and decoded and
 * passed through {@link oskr.protocol.Protocol#verify} when delivered, so codec bugs and forged
 * messages show up here. A malformed frame, a rejected message or a packet to a node that is down
 * is counted in that node's receive drops and traced, never thrown. Replica keys are derived from
 * the seed ({@link oskr.sim.SimKeys}).
 *
 * <h2>Determinism rules</h2>
 *
 * One {@link java.util.SplittableRandom} per run, seeded from the seed, for network latency,
 * filters, job delays, client ids and the workload's start. Nodes live in a {@code TreeMap} by
 * address; no collection whose iteration order varies between JVM runs ({@code HashMap}, {@code
 * Set.of}) is iterated where the order could reach an event or a trace line. Trace lines use {@code
 * toString} of messages and timer keys, which must be value-based (records, enums); filters without
 * their own {@code toString} (lambdas) are named by their place in the chain.
 *
 * <h2>Crashes</h2>
 *
 * {@code crash(address, keepState)}: the node drops what arrives while down, and loses its armed
 * timers and the jobs it had in flight (their results are discarded). On {@code restart} a node
 * that kept its state continues as the same object, with no timer armed; one that lost its state is
 * made afresh by the protocol's factory, with a fresh app (replicas) or a new client id (clients,
 * whose outstanding operation then stays pending in the history forever).
 *
 * <p>{@code pause(address)} is the crash that keeps everything, as a stopped process: the node
 * drops what arrives, but its timers and jobs that come due wait and run on {@code resume}. {@code
 * timerSkew(address, factor)} scales the timers a node sets, as a clock running slow or fast.
 *
 * <h2>Workload</h2>
 *
 * Each client invokes its ops one at a time from an {@link oskr.sim.OpSource} (by default unique
 * numbered strings), with an optional seeded think time; the ops come from a generator of their
 * own, so the faults drawn do not change them.
 */
package oskr.sim;
