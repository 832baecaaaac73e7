/**
 * PBFT: Castro and Liskov, "Practical Byzantine Fault Tolerance", OSDI 1999, and "Practical
 * Byzantine Fault Tolerance and Proactive Recovery", TOCS 20(4), 2002 (section numbers below are
 * the TOCS paper's). n = 3f+1 replicas; the primary of view v is replica v mod n.
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 * normal case (§4.2)   client --REQUEST--> primary --PRE-PREPARE(v,n,d)+batch--> backups
 *                      backups --PREPARE--> all;  prepared = PRE-PREPARE + 2f matching PREPAREs
 *                      all --COMMIT--> all;       committed-local = prepared + 2f+1 COMMITs
 *                      execute in sequence order; every replica --REPLY--> client (f+1 match)
 * bad requests         a backup accepts a PRE-PREPARE once it authenticated its requests or f
 *                      PREPAREs vouch for it; else after a wait it sends REJECT(v,n,d,U,i) to
 *                      the primary, which on 2f+1 REJECTs orders the null request at n instead
 * client timeout       client --REQUEST--> all; backups relay to the primary, start timer
 * checkpoints (§4.3)   every K: CHECKPOINT(n, state digest); 2f+1 matching = stable;
 *                      low watermark := stable n, high := low + L; log below is freed
 * view change (§4.4)   timer expiry or f+1 VIEW-CHANGEs for higher views:
 *  (§5.2 with MACs)    VIEW-CHANGE(v+1, n, C, P, Q) --> all; new primary with 2f+1:
 *                      NEW-VIEW(v+1, V, O) --> all; replicas recompute O from V to check it
 * log catch-up         execution stalls, or a stable checkpoint at most K above it:
 *                      FETCH-LOG --> COMMITTED-PROOFs (also below the stable checkpoint)
 * state transfer       stable checkpoint further above: FETCH-STATE(n, chunk) --> a replica
 *                      of its proof; STATE-CHUNK (2f+1 proof, chunk, its path in the chunk
 *                      tree), checked in verify; fed to the app in order; then FETCH-LOG
 * </pre>
 *
 * <h2>Classes and data structures</h2>
 *
 * <ul>
 *   <li>{@link oskr.protocol.pbft.Pbft}: the protocol singleton; its stateless {@code verify} (on
 *       workers) checks signatures, MACs, membership, batch digests and whole certificates
 *       (prepared, committed, stable checkpoint, VIEW-CHANGE, NEW-VIEW with the recomputation), so
 *       replica handlers only see messages that are authentic and well-formed.
 *   <li>{@code PbftReplica}: owns the view, the status (normal or changing views), the log and the
 *       last executed sequence number, and alone changes them; it wires the parts below, each of
 *       which owns its own state and returns decisions the replica applies (a view to move to, a
 *       new stable checkpoint, a fetched state). {@code PbftPartsTest} checks that no part writes
 *       another's fields and that parts use each other without cycles. {@code Slot}: one sequence
 *       number; the log is a {@code TreeMap<seq, Slot>} holding only (low, low + L], so it is
 *       bounded by the watermark window L. {@code Agreement}: the three phases that move a slot to
 *       committed. {@code Execution}: the app, op number, client records and replies. {@code
 *       Requests}: requests at the primary (queue, adaptive batching, its sequence numbers,
 *       REJECTs) and relayed ones at backups. {@code PrePrepares}: a backup's PRE-PREPAREs held
 *       until it checked their requests (or f PREPAREs vouched), rejected, or kept for later
 *       (before their NEW-VIEW, above the high watermark; at most L each).
 *   <li>{@code Checkpoints}: own snapshots and signed CHECKPOINTs above the stable one; votes per
 *       sequence number, at most L/K + 2 per replica; the stable checkpoint's proof and snapshot.
 *   <li>{@code ViewChanges}: the highest-view VIEW-CHANGE per replica (one per replica, so a faulty
 *       one cannot grow it), the back-off exponent, NEW-VIEW building. {@code NewViewPlan}: the
 *       pure decision of §4.4 that both sides compute.
 *   <li>{@code StateTransfer}: fetching a checkpoint's state chunk by chunk and installing it;
 *       {@code StateImage}: the checkpointed state read in chunks; {@code ChunkTree}: its digest, a
 *       Merkle tree over the chunks. {@code LogTransfer}: FETCH-LOG, committed proofs and claims,
 *       the committed batches kept below the stable checkpoint (at most K). {@code FetchBudget}:
 *       how much one requester can make us send per period.
 *   <li>{@code ClientRecords}: at-most-once execution, for at most {@code Limits.CLIENTS_MAX}
 *       clients (see the deviation below); part of the checkpointed state.
 * </ul>
 *
 * <p>The checkpointed state is {@code u32:headerLength (opNumber || client records) ||
 * App.snapshot()}, never held as one array: the app's snapshot is frozen and read in byte ranges,
 * and the state digest is the root of a Merkle tree over its 48 KiB chunks, computed on a worker.
 * Signing of every outgoing message, batch digests and state digests run as {@code Context.submit}
 * jobs; their completions re-check the view.
 *
 * <h2>Timers</h2>
 *
 * The view-change timer runs while a backup waits for a request it relayed (and while it waits for
 * a NEW-VIEW): T = {@code PbftSettings.viewChangeTimeout}, doubled for every view change that
 * brings no execution (§4.5.2). Restarted whenever a batch executes, it measures whether the
 * primary makes progress, not how long one request waits in a long queue. A backup that cannot
 * authenticate a PRE-PREPARE's requests waits T/8 to 2T/8 for vouching PREPAREs before it rejects
 * it, so that the primary replaces it long before any view-change timer expires. State-transfer
 * retries use the client resend timeout, and so do the progress watch (FETCH-LOG when execution
 * stalls; after 3 stalls behind the stable checkpoint, state transfer) and the period of {@code
 * FetchBudget} (a timer armed by the first answer of a period, so an idle replica sets none).
 * Clients resend to all replicas after {@code Options.resendTimeout}, doubling the wait for each
 * further resend of one request (at most 8x), so that resends do not pile onto an overloaded
 * cluster.
 *
 * <p>A client sends a request first to the primary of the view it believes current (§4.1 leaves how
 * it tracks the view): the highest view that f+1 replicas' replies reached, so at least one correct
 * replica is there and one faulty replica naming a view cannot steer it.
 *
 * <h2>Deviations</h2>
 *
 * <ul>
 *   <li>Authentication. With a signature scheme ({@code --auth secp256k1|ed25519}) every message is
 *       signed and the view change is TOCS §4.4's: VIEW-CHANGEs carry prepared certificates
 *       (PRE-PREPARE + 2f PREPAREs) and the new primary re-proposes the certificate of the highest
 *       view. With {@code --auth hmac} (the original PBFT's MACs, TOCS §3.2 and §5) requests,
 *       replies, PRE-PREPAREs, PREPAREs and COMMITs carry MACs or authenticators (one HMAC-SHA256
 *       per replica, under keys agreed by ECDH over secp256k1), so the normal case does no
 *       public-key cryptography at all; prepared certificates then convince nobody else, and the
 *       view change is TOCS §5.2's: a VIEW-CHANGE carries the sender's P set as claims (what it
 *       prepared, with the view and the batch) and its Q set (the digests it pre-prepared, with the
 *       latest view of each, at most {@code ViewChange.PRE_PREPARED_PER_SEQ_MAX} per sequence
 *       number), and {@link oskr.protocol.pbft.NewViewPlan} applies the paper's decision procedure
 *       (conditions A1, A2 and B), waiting for more VIEW-CHANGEs while it cannot decide. Deviation:
 *       CHECKPOINTs, VIEW-CHANGEs and NEW-VIEWs stay signed (Ed25519, keys derived from the
 *       original Oskr's key files), where TOCS §5 MACs them and adds VIEW-CHANGE-ACKs so the new
 *       primary can vouch for VIEW-CHANGEs it forwards: they are rare (a checkpoint every K
 *       batches, view changes only on faults), and signatures keep stable-checkpoint proofs
 *       transferable for state transfer. A replica fetching the log with MACs accepts a batch once
 *       f+1 replicas claimed it committed (each claim a COMMIT with an authenticator); a claim in
 *       its view also counts as its sender's COMMIT towards committed-local.
 *   <li>Client authentication: every client has a key of its own ({@code Protocol.clientsHaveKeys}:
 *       the CLI makes a fresh one, the simulator derives one from its seed) and sends its public
 *       key in its requests; with signatures it signs each request (TOCS §4 BFT-PK), with {@code
 *       hmac} it attaches an authenticator. At-most-once execution is per (client key, client id),
 *       so neither a faulty primary nor a faulty relaying backup can make an operation execute
 *       twice (say, by changing its request number): the primary checks a request on arrival, every
 *       backup checks every request of a PRE-PREPARE (with {@code hmac}, its own authenticator
 *       entry, on a worker before its PREPARE). Replicas drop unauthenticated requests.
 *   <li>A faulty client can send an authenticator whose entries only the primary (or a few backups)
 *       accept (the "big MAC" attack of Clement et al., NSDI 2009). A backup cannot tell that from
 *       a primary forging a request, so it never executes a request without f+1 replicas vouching
 *       for it, and does not blame the primary for one: as Castro's BFT library ({@code
 *       Prepared_cert::add}) it accepts a PRE-PREPARE whose requests it cannot authenticate once f
 *       PREPAREs of other backups match it (with the primary, f+1 replicas accepted the requests,
 *       one of them correct). Deviation: when no f PREPAREs come (only the primary could
 *       authenticate a request), the library waits for a view change; here the backup sends the
 *       primary REJECT(v, n, d, U) and never PREPAREs d, and the primary, once 2f+1 backups
 *       rejected d (so at most 2f-1 can PREPARE it and it prepares nowhere), sends PRE-PREPARE(v,
 *       n) again with the null request and queues the batch's requests again, except those at the
 *       positions U some backup could not authenticate. A correct primary so pre-prepares two
 *       digests for one (v, n), only when the first can never prepare; a faulty one gains nothing,
 *       as a correct backup still PREPAREs at most one digest per (v, n). Liveness needs the 2f+1
 *       REJECTs: with a faulty backup silent, or lying, the attack can still cost a view change.
 *   <li>Deviation: the client table is bounded (TOCS §4.2 keeps every client's last reply). Each
 *       rule is applied as a committed request executes, from checkpointed state only, so every
 *       correct replica decides alike at the same point of the committed order. When a client not
 *       in the full table is answered, the one answered longest ago is evicted; the low-water mark
 *       is the highest request number an evicted client had. A request of a client not in the table
 *       at or below the mark is refused, not executed (it may be an evicted client's old request,
 *       delayed or replayed by a faulty primary): the replicas send a REPLY that refuses it and
 *       names a number above every one answered so far, remembered as that client's entry, and the
 *       client, on f+1 matching refusals, sends the operation again numbered from there. A request
 *       numbered more than 2^32 above the op number it would execute at is refused too (correct
 *       clients never are), so no client can run request numbers to their end and lock newcomers
 *       out. Requests execute at most once, evicted client or not; an operation can execute twice
 *       only if its client is evicted after the request executed and before the client heard f+1
 *       replies (CLIENTS_MAX other clients answered in between): its retransmission is then refused
 *       and the client sends it again.
 *   <li>Deviation: the batch travels in the PRE-PREPARE (the paper's piggybacking), and P entries
 *       in VIEW-CHANGE carry their batches, so no replica ever has to fetch a request by digest;
 *       NEW-VIEW re-proposes headers and receivers take each batch from the P entry in V that
 *       {@code NewViewPlan} chose. VIEW-CHANGE messages grow with the unstable part of the log (at
 *       most L batches), a NEW-VIEW with 2f+1 of them (with MACs up to n); so that it fits {@code
 *       Limits.FRAME_MAX}, the primary also closes a batch at FRAME_MAX / ((2f+1) L) bytes, with
 *       MACs FRAME_MAX / (n L) (about 21 KB and 16 KB for f = 1 and L = 256).
 *   <li>Deviation: state transfer fetches the whole checkpoint state in fixed-size chunks, each
 *       checked on arrival against the agreed digest by its path in a Merkle tree over the chunks,
 *       instead of the paper's partition tree with incremental AdHash digests (§5.3.2): every
 *       checkpoint hashes the whole state; only the chunks are fetched, not the partitions that
 *       differ. Batches above the checkpoint come as committed certificates (PRE-PREPARE + 2f+1
 *       COMMITs).
 *   <li>Deviation: a replica keeps the committed batches of one interval K below its stable
 *       checkpoint (§4.3 discards them), so a replica at most K batches behind a stable checkpoint
 *       catches up from the log (executing below its low watermark) instead of transferring the
 *       state.
 *   <li>FETCH-LOG and FETCH-STATE are unsigned and their answers large: per requester and resend
 *       timeout a replica answers at most 2 FETCH-LOGs and 128 FETCH-STATEs ({@code FetchBudget})
 *       and drops the rest, so a faulty replica cannot use them to amplify traffic.
 *   <li>Retransmission (the paper leaves it to the implementation): a replica keeps the
 *       PRE-PREPAREs that overtake the NEW-VIEW of their view (at most L, next view only) and
 *       handles them after it; other normal-case messages of another view are dropped. It also
 *       keeps PRE-PREPAREs of its view up to L above its high watermark (at most L), where TOCS
 *       §4.3 drops them, and handles them once its checkpoint becomes stable: under load the
 *       primary's checkpoint becomes stable first, and a sequence number whose PRE-PREPARE every
 *       backup dropped would never commit, so a correct primary would be replaced. While changing
 *       views a replica multicasts its VIEW-CHANGE and CHECKPOINTs again every resend timeout; a
 *       replica in a newer view answers a stale VIEW-CHANGE with its NEW-VIEW; a new primary orders
 *       (and backups relay to it) the requests they were waiting for; a replica whose execution
 *       stalls for a resend timeout with batches pending fetches committed certificates from
 *       another replica (FETCH-LOG), which also retransmits its own PREPAREs and COMMITs of the
 *       current view (with MACs a batch committed at one correct replica only has no f+1 claims;
 *       the others commit it once they have what they missed).
 *   <li>The view-change timer of a replica that sent VIEW-CHANGE for v starts only when it has 2f+1
 *       VIEW-CHANGEs for v (TOCS §4.5.2), so a replica alone in a higher view waits there. A
 *       replica that moved ahead alone cannot go back; it keeps executing through checkpoints and
 *       state transfer until the others reach its view.
 *   <li>Adaptive batching: the primary closes a batch at {@code -b} requests, or while fewer than
 *       {@code Requests.BATCHES_IN_FLIGHT_MAX} batches are ordered but not executed: at once if
 *       none is, else once it holds half as many requests as the batches in flight (so a closed
 *       loop does not alternate batches of one with large ones); never with a timer.
 * </ul>
 *
 * <h2>Gaps</h2>
 *
 * Proactive recovery (TOCS §4.6+) and read-only / tentative-execution optimisations are not
 * implemented.
 */
package oskr.protocol.pbft;
