/**
 * Viewstamped Replication: Liskov and Cowling, "Viewstamped Replication Revisited",
 * MIT-CSAIL-TR-2012-021 (section numbers below are that paper's). The crash-fault baseline: n =
 * 2f+1 replicas, the primary of view v is replica v mod n, nothing is signed.
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 * normal case (§4.1)   client --REQUEST--> primary --PREPARE(v, batch at n.., k)--> backups
 *  batched (§6.2)      backups take PREPAREs in op order --PREPARE-OK(v, n)--> primary
 *                      f PREPARE-OKs: committed up to n; the primary executes --REPLY--> client
 *                      k piggybacks on the next PREPARE, or COMMIT(v, k) when idle; backups
 *                      execute committed ops but do not reply
 * view change (§4.2)   no word from the primary: START-VIEW-CHANGE(v+1) --> all
 *                      f others too: DO-VIEW-CHANGE(v+1, log, v', n, k) --> new primary
 *                      f+1 of them: the log of the largest v', then largest n; k = the largest
 *                      START-VIEW(v+1, log, k) --> backups, which PREPARE-OK the log
 * recovery (§4.3)      a replica restarted without its state: RECOVERY(i, nonce) --> all
 *                      normal replicas answer RECOVERY-RESPONSE(v, nonce), the primary with
 *                      its log and k; f+1 of them, among them the primary of the latest view
 * catching up (§5.2)   a gap or a later view: GET-STATE(v, n') --> NEW-STATE(v, log after n')
 * snapshots (§5.1)     the log starts above a checkpoint: GET-SNAPSHOT --> SNAPSHOT-CHUNKs
 * </pre>
 *
 * <h2>Classes and data structures</h2>
 *
 * <ul>
 *   <li>{@link oskr.protocol.vr.Vr}: the protocol singleton; its stateless {@code verify} checks
 *       that a replica message comes from the member it names (PREPARE, COMMIT and START-VIEW: from
 *       the primary of their view), so a non-member's message never reaches a replica.
 *   <li>{@code VrReplica}: view number, status (normal, view change, recovering), last normal view,
 *       the log, the commit number; the normal case. It alone changes them, through its {@code
 *       enter}/{@code become}/{@code take} methods; {@code VrReplicaProtocols} has the handlers of
 *       view changes, recovery and catching up. {@code VrLog}: a ring buffer of the requests from
 *       the checkpoint before the latest one up to the op number, with the client address beside
 *       each request the primary took (to reply once it executes).
 *   <li>Parts owning their state: {@code Batcher} (the primary's queue, adaptive batching, the
 *       requests in progress per client), {@code Acks} (PREPARE-OKs per backup, the commit quorum),
 *       {@code Heartbeats} (COMMIT when idle, retransmission), {@code HeldPrepares} (reordered
 *       PREPAREs, at most 64), {@code ViewChanges} (the votes of one view change and the decision
 *       of §4.2 step 3), {@code RecoveryResponses} (the nonce and the responses), {@code Execution}
 *       (how far execution got, the client table), {@code Checkpoints} (the latest snapshot),
 *       {@code StateTransfer} (GET-STATE pacing, fetching a snapshot chunk by chunk).
 *   <li>At most once: the shared {@link oskr.protocol.ClientTable} (bounded, with refusals),
 *       decided at execution in op order, so every replica decides alike; a request in the log
 *       twice (a resend crossing a view change) executes once. The checkpoint carries the table.
 * </ul>
 *
 * <h2>Timers</h2>
 *
 * The primary sends COMMIT every {@code VrSettings.commitInterval} (25 ms) it sent no PREPARE; a
 * backup that hears neither for {@code viewChangeTimeout} (250 ms) starts a view change; one that
 * does not complete moves on to the next view with the timeout doubled (at most 8x). While a view
 * change lasts, START-VIEW-CHANGE and DO-VIEW-CHANGE go again every quarter timeout; RECOVERY every
 * client resend timeout; GET-STATE and GET-SNAPSHOT after two commit intervals, to the next
 * replica. Clients send to the primary of the latest view a reply showed, and on timeout to every
 * replica, doubling the wait for each further resend (at most 8x).
 *
 * <h2>Deviations and choices the paper leaves open</h2>
 *
 * <ul>
 *   <li>Batching (§6.2): a PREPARE carries a batch; each request has its own op number (the app
 *       sees VR's op numbers). The primary closes a batch at {@code -b} requests or 512 KiB, or at
 *       once while fewer than two batches await their commit (as PBFT's primary), at most eight
 *       batches uncommitted; never with a timer.
 *   <li>Retransmission (left to implementations): while nothing commits for a commit interval the
 *       primary sends a lagging backup its unacknowledged PREPAREs again; a backup answers a
 *       duplicate PREPARE with PREPARE-OK again; a new primary answers a laggard's view-change
 *       message for its view or an older one with START-VIEW.
 *   <li>Checkpoints and the log (§5.1): a checkpoint every {@code checkpointInterval} executed ops
 *       (default 4096) or 4 MiB of ops, counted alike at every replica; the log keeps the ops since
 *       the checkpoint before the latest. DO-VIEW-CHANGE, START-VIEW and RECOVERY-RESPONSE carry
 *       the log from the sender's latest checkpoint on (§5.3 allows a suffix): a receiver whose own
 *       committed ops do not reach the segment fetches the sender's (or another replica's)
 *       checkpoint. Deviation: the snapshot travels in 48 KiB chunks, unauthenticated (crash faults
 *       only), fed to the app's {@code SnapshotSink} as they come; the paper uses Merkle trees to
 *       fetch only what differs.
 *   <li>Deviation: the client table is bounded ({@code Limits.CLIENTS_MAX}) and may refuse a
 *       request of a client it evicted (see {@link oskr.protocol.ClientTable}); the paper keeps
 *       every client.
 *   <li>Deviation: a new primary, and a backup entering a view from START-VIEW, keep their own
 *       committed ops below the new log instead of replacing the whole log (they agree with it
 *       there); ops above their commit number are replaced.
 *   <li>Backups drop client requests (§4.1: only the primary takes them); the client resends to
 *       all. A new primary replies to a request it executes from the previous view only when the
 *       client resends (it does not know the client's address): §4.2 step 4 has it reply at once.
 *   <li>A replica restarted with its state kept (a paused process) goes on as it was; only one that
 *       lost its state ({@code ReplicaSetup.Start.AFTER_STATE_LOSS}, {@code oskr replica
 *       --recovering}) recovers. The nonce comes from {@code Context.random()}.
 * </ul>
 *
 * <h2>Gaps</h2>
 *
 * Reconfiguration (§7), witnesses and fast reads with leases (§6.1, §6.3) are not implemented.
 */
package oskr.protocol.vr;
