/**
 * Deterministic simulation testing: seeded random scenarios, every protocol, checked after every
 * run.
 *
 * <h2>A run</h2>
 *
 * {@link oskr.sim.dst.Scenario#draw} turns a seed into a scenario within the protocol's {@link
 * oskr.protocol.FaultModel}: 2 to 4 clients doing random KV operations ({@link
 * oskr.sim.dst.KvWorkload}: gets, puts, deletes, scans over 1 to 6 keys) with a think time, and a
 * fault mix where each kind of fault is on or off per seed (swarm testing): drops, duplicates,
 * reordering, delay jitter, partitions (symmetric or one-way, replicas and clients alike), pauses
 * (a crash that keeps its state, timers and jobs) of any node, crashes that lose state (for clients
 * always, for at most f replicas where the model allows it), timer skew per node, and up to f
 * Byzantine replicas drawn from the {@link oskr.protocol.Behaviour} library. {@link
 * oskr.sim.dst.DstRun} runs the fault phase, heals (network faults and partitions go, nodes come
 * back; Byzantine replicas and skew stay), runs until every client is done or the target's liveness
 * bound of virtual time passes, and checks, in order: no node threw, agreement and exactly-once
 * among correct replicas, no forged result accepted, linearizability of the client history ({@link
 * oskr.sim.linearizability}, timed-out operations possibly applied), liveness. A failure report
 * names the seed and the property, and shows the trace up to the moment a safety property first
 * broke (the seed is run again and stopped there) or the end of the run.
 *
 * <h2>Adding a protocol</h2>
 *
 * The protocol declares its {@link oskr.protocol.SimulationTarget}s itself ({@link
 * oskr.protocol.Protocol#simulationTargets()}, in its own package): its fault model, and for a BFT
 * protocol its {@link oskr.protocol.ByzantineAdapter} (equivocation, lying about digests, false
 * views, corrupted authenticators need to understand its messages), options (a short checkpoint
 * interval exercises state transfer) and a liveness bound long enough for view changes. Once it is
 * in {@code oskr.registry.ProtocolRegistry}, the suite ({@code DstSuiteTest}) runs a fixed seed
 * budget of every target; planted bugs ({@code MutantProtocol} in the tests) prove the checkers
 * catch what the protocol must not do. This package never names a protocol.
 *
 * <h2>Long runs</h2>
 *
 * {@code ./oskr simulate -m PROTO --seeds 10000} runs ten thousand seeds from a random first seed
 * (printed), stopping at the first failure; {@code --seed S} alone replays one seed, {@code
 * --trace} prints every event.
 */
package oskr.sim.dst;


