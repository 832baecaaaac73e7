/**
 * A linearizability checker for client-observed histories of the KV store ({@link
 * oskr.app.KvStore}).
 *
 * <p>Use: record operations with {@link oskr.sim.linearizability.HistoryRecorder} (or build {@link
 * oskr.sim.linearizability.Operation}s directly), then call {@link
 * oskr.sim.linearizability.LinearizabilityChecker#check}; the {@link
 * oskr.sim.linearizability.Verdict} is LINEARIZABLE, NOT_LINEARIZABLE (with a readable report of
 * the failing partition) or UNKNOWN (the step budget ran out: not a pass).
 *
 * <p>Approach:
 *
 * <ul>
 *   <li>Partitioning (P-compositionality, Horn and Kroening 2015): keys are objects; a Get, Put or
 *       Delete touches its key and a Scan every key of its range. Union-find joins operations that
 *       touch a common key, so a Scan merges the keys of its range (those named anywhere in the
 *       history; the others are always absent) into one partition. Partitions are checked
 *       independently ({@code Partitioner}).
 *   <li>Search: Wing and Gong's algorithm with Lowe's memoization of (linearized set, model state)
 *       pairs, as in Knossos and Porcupine, with a step budget per partition ({@code Search}). Two
 *       sound shortcuts: a completed read that matches the current state, or a completed write no
 *       other operation on its key overlaps, is linearized first without trying the alternatives;
 *       the linearized set is cached as a 128-bit fingerprint.
 *   <li>Timed-out operations: no response, so they may take effect anywhere after their invocation
 *       with any result, or never; the search may leave them out. Those that cannot change the
 *       verdict are dropped up front ({@code Relevance}): timed-out reads, and writes no completed
 *       operation could have observed.
 *   <li>Model: a sequential spec of the store over each partition's keys ({@code KvModel}), written
 *       apart from {@link oskr.app.KvStore} so that it can catch the store's bugs as well as the
 *       protocol's.
 * </ul>
 *
 * <p>Assumptions: the history starts from an empty store; A precedes B in real time when A's
 * response time is strictly below B's invoke time. A Put answered StoreFull is taken to have had no
 * effect without checking the store was full (fullness depends on keys of every partition).
 *
 * <p>Tests: hand-written histories with known verdicts, agreement with an exhaustive search on
 * small random histories, and stretched sequential histories (linearizable by construction) with
 * and without a corrupted read.
 */
package oskr.sim.linearizability;
