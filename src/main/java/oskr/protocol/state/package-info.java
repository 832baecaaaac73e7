/**
 * State transfer's protocol-neutral parts, shared by PBFT and HotStuff: a checkpointed state as one
 * byte string read in chunks ({@link oskr.protocol.state.StateImage}), the Merkle digest that
 * checkpoints agree on and that checks each chunk on its own ({@link
 * oskr.protocol.state.ChunkTree}), and the fetched image taken chunk by chunk into the app's
 * snapshot sink ({@link oskr.protocol.state.ImageAssembly}). Each protocol keeps its own messages,
 * proofs and rules of when to fetch.
 */
package oskr.protocol.state;
