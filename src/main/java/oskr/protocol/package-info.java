/**
 * The protocol contract: what a replication protocol is to the runtime, the simulator and the
 * command line, and the helpers two protocols share.
 *
 * <h2>A protocol</h2>
 *
 * {@link oskr.protocol.Protocol} gives the codec, the stateless {@code verify} step, factories for
 * replicas and clients, and the protocol's {@link oskr.protocol.SimulationTarget}s: its {@link
 * oskr.protocol.FaultModel}, options for simulation, and for a BFT protocol a {@link
 * oskr.protocol.ByzantineAdapter} implementing the {@link oskr.protocol.Behaviour}s that must
 * understand its messages. A protocol's own knobs are a {@link oskr.protocol.ProtocolSettings}
 * record of its package, carried by {@link oskr.protocol.Options#settings()}.
 *
 * <h2>A node</h2>
 *
 * A replica or client is a deterministic state machine ({@link oskr.protocol.Node}): {@code
 * onStart} once its {@link oskr.protocol.Context} is attached (and after every restart; a replica
 * knows from {@link oskr.protocol.ReplicaSetup#start()} whether it lost its state), then {@code
 * onMessage} for verified messages, {@code onTimer}, and job results. It acts only through the
 * context: send, broadcast, timers, stateless jobs, and {@link oskr.protocol.Randomness} (seeded in
 * the simulator, secure in the runtime). The {@link oskr.core.App} executes operations, finally or
 * speculatively with commit and rollback; the simulator's agreement checks see what the protocol
 * commits. A client reports each result with a {@link oskr.protocol.Completion} saying by which
 * path it completed and after how many resends.
 *
 * <h2>Shared by the protocols with state transfer</h2>
 *
 * PBFT and HotStuff checkpoint their state and ship it to replicas that fell behind with the same
 * protocol-neutral parts: {@link oskr.protocol.StateImage} (a checkpointed state as one byte
 * string, the protocol's header and the app's snapshot, read in chunks), {@link
 * oskr.protocol.ChunkTree} (the Merkle digest checkpoints agree on, which checks each chunk on its
 * own), {@link oskr.protocol.ChunkPart} (a chunk with its path, and its codec) and {@link
 * oskr.protocol.ImageAssembly} (a fetched image taken chunk by chunk into the app's snapshot sink).
 * Each protocol keeps its own messages, proofs and rules of when to fetch.
 *
 * <h2>Adding a protocol</h2>
 *
 * One package {@code oskr.protocol.NAME} (read {@code unreplicated} first: messages and codec,
 * replica, client, {@code package-info.java}; a BFT protocol adds its Byzantine adapter there too),
 * plus one entry in {@code oskr.registry.ProtocolRegistry}. The registry feeds {@code oskr replica
 * | client | bench | simulate}, the DST suite and the end-to-end test; {@code ProtocolRegistryTest}
 * fails if any of them misses a registered protocol.
 */
package oskr.protocol;
