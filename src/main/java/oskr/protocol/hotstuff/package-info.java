/**
 * Chained HotStuff: Yin, Malkhi, Reiter, Golan Gueta and Abraham, "HotStuff: BFT Consensus with
 * Linearity and Responsiveness", PODC 2019 (Algorithm 3, and §4.3's pacemaker). n = 3f+1 replicas;
 * the leader of view v is replica v mod n (round robin).
 *
 * <h2>Message flow</h2>
 *
 * <pre>
 * requests        client --REQUEST--> every replica (mempool); f+1 matching REPLYs complete it
 * generic phase   leader(v) --PROPOSAL(block(v, justify = qcHigh, batch), digest, sig)--> all
 *                 replica: update (qcHigh, lock, commit) from justify; if v is its view, v is
 *                 above the last view it voted in and safeNode holds --VOTE(v, digest, sig)-->
 *                 leader(v+1) .. leader(v+1+f); then it waits in view v+1. n-f VOTEs form the
 *                 QC leader(v+1) proposes on at once; a later leader that formed it relays it
 *                 (NEW-VIEW) to leader(v+1) if no proposal of v+1 came within a quarter timeout
 * pacemaker       work pending and no progress for the view's timeout: --NEW-VIEW(v+1, qcHigh,
 *                 sig)--> all, again after every further timeout; a replica that sees f+1 of them
 *                 for a later view announces it too; n-f of them move a replica to that view
 *                 (a timeout certificate of sorts), where the leader proposes on the highest QC
 *                 a NEW-VIEW whose QC is lower than the receiver's gets the receiver's NEW-VIEW back
 *                 (a faulty leader may have sent the QC that commits a block to some replicas only)
 * block sync      a block's parent, or a QC's block, unknown: --FETCH-BLOCKS(digest, 64)--> the
 *                 proposer, then the others in turn (still missing after a period: all at once);
 *                 --BLOCKS(chain, newest first)--> back, within the requester's budget
 * recovery        restarted without its state: --NEW-VIEW(genesis QC)--> all, answered with their
 *                 NEW-VIEW; no vote or proposal until n-f answered, then only above their views
 * checkpoints     every K committed blocks: --CHECKPOINT(height, block, state digest, sig)--> all;
 *                 f+1 matching ones prove that state
 * state transfer  a replica that skipped history it could not fetch: --FETCH-STATE(height, chunk)-->
 *                 a replica of the proof, then the next; --STATE-CHUNK(chunk, path)--> back, within
 *                 the requester's budget, each chunk checked against the proven digest
 * </pre>
 *
 * <h2>Rules (Algorithm 3)</h2>
 *
 * <ul>
 *   <li>A block's parent is the block its justify QC certifies. On a QC for b'' (in a proposal, a
 *       NEW-VIEW, or formed from votes): qcHigh moves up; the lock moves to b' = b''.parent if it
 *       is of a later view; and b = b'.parent commits, with all its ancestors, when b, b', b'' are
 *       a direct three-chain: each the parent of the next and their views consecutive. A chain of
 *       justify links alone is not enough (the Twins paper's counterexample).
 *   <li>safeNode: vote for a block that extends the locked block, or whose justify QC is of a view
 *       above the lock's. A replica votes at most once per view and only in its current view.
 *   <li>Committed blocks execute in chain order; each request through the shared {@link
 *       oskr.protocol.ClientTable}, keyed by the client's identity (64 bits of SHA-256 over its key
 *       and id), so every replica decides at-most-once alike. Every replica replies.
 * </ul>
 *
 * <h2>Authentication, per {@code --auth}</h2>
 *
 * <ul>
 *   <li>VOTE and NEW-VIEW are signed by their sender: with {@code ed25519} (default) or {@code
 *       secp256k1} in that scheme, with {@code hmac} by Ed25519 (QCs must be transferable).
 *       PROPOSAL is signed in the same way, except with {@code hmac}: an authenticator (one MAC per
 *       replica), as no third party checks a proposal (a fetched block is trusted by its digest). A
 *       QC is the set of n-f vote signatures over (view, block digest), not a threshold signature:
 *       O(n) bytes and n-f verifications.
 *   <li>REQUEST: signed by the client's own key, or with {@code hmac} an authenticator (one MAC per
 *       replica, keys agreed by ECDH). REPLY: signed by the replica, or with {@code hmac} MACed for
 *       the client.
 *   <li>FETCH-BLOCKS and BLOCKS are not signed: the sender address is checked, and a block is
 *       trusted because its digest is certified by a QC the receiver already verified.
 *   <li>CHECKPOINT is signed like a VOTE (with {@code hmac} by Ed25519 too: f+1 of them are a proof
 *       any replica checks). FETCH-STATE and STATE-CHUNK are not: the sender address is checked,
 *       and a chunk is checked against the state digest with its Merkle path.
 *   <li>Verify (on the stage's workers) checks every signature or MAC, every QC and every block
 *       digest, except what the replica checks ({@code ProposalCheck}) before it acts on a
 *       proposal: the requests inside (one it holds in its mempool exactly as proposed was verified
 *       on arrival) and, at a recipient of the QC's votes, the QC (signatures it verified itself as
 *       a vote recipient, {@code VerifiedVotes}, are not verified again); the others are verified
 *       in one job (vote signatures; the client's signature, or with {@code hmac} this replica's
 *       MAC of the client's authenticator).
 * </ul>
 *
 * <h2>Pacemaker and progress without load</h2>
 *
 * A replica runs the view timer only while it has work: a request not yet executed, a block with
 * requests not yet committed, or a block it waits for. The timeout doubles for each view since the
 * last certified one and for each timeout in a row without entering a view (at most 32 times); a
 * replica answers a NEW-VIEW with a lower QC once per announced view or newer QC of its own. A
 * leader proposes once per view, as soon as it holds the QC of the view before (or n-f NEW-VIEWs),
 * with up to {@code -b} requests not already in flight, and proposes empty blocks while requests
 * wait in blocks not yet committed or in the three blocks below qcHigh (the others learn of their
 * commit only from the next QC): one request outstanding commits after three more blocks, then the
 * leaders fall silent.
 *
 * <h2>Deviations</h2>
 *
 * <ul>
 *   <li>Votes go to the leaders of the next f+1 views, not only the next one. With round-robin
 *       leaders, committing b needs the QC of b'', which only the leader after b'' forms: with one
 *       crashed replica of four, no four consecutive leaders are alive, and nothing would ever
 *       commit. With f+1 recipients a correct one forms that QC and proposes on it in its view.
 *   <li>The QC relay above: under Twins, the next leader may miss votes a later leader got.
 *   <li>The parent of a block is always its justify's block (LibraBFT's shape), so no dummy blocks
 *       fill failed views; the commit rule asks for consecutive views instead.
 *   <li>NEW-VIEW goes to every replica, not only to the next leader, and a replica enters a view
 *       only on a QC, a proposal, or n-f NEW-VIEWs (as LibraBFT's timeout certificates, but the
 *       NEW-VIEWs are not aggregated into one): with the paper's "next view on every timeout", a
 *       Byzantine replica sending to a subset pulled one correct replica ahead and no view had a
 *       quorum (DstRegressionTest).
 *   <li>With {@code hmac}, a replica checks only its own MAC of a request: a request its client
 *       never sent fails at every correct replica, so no QC certifies it; but a faulty client can
 *       give a request a MAC valid for some replicas only, and the views of a leader that proposes
 *       it then time out (throughput lost, safety kept).
 * </ul>
 *
 * <h2>Recovery from a state loss</h2>
 *
 * A replica restarted without its state ({@code ReplicaSetup.Start.AFTER_STATE_LOSS}, {@code oskr
 * replica --recovering}) lost its lock and the views it voted and proposed in. Rule ({@code
 * Recovery}): it asks every replica with a NEW-VIEW carrying the genesis QC and a fresh nonce (from
 * {@code Context.random()}), which each answers with its view (or announced view) and qcHigh and
 * the nonce, signed (a NEW-VIEW from before the crash delivered after it could report too low a
 * view, and does not count); until n-f others answered it neither votes nor proposes; then it locks
 * on the highest QC they reported (once it holds its block) and votes and proposes only in views
 * above the highest view they reported. Safe: a view it voted or proposed in before the crash had a
 * proposal, which needs n-f replicas to have reached that view; f+1 of them are among any n-f
 * answers, at least one correct besides it, and reports that view or a later one; likewise a
 * correct voter of the block above its lost lock reports a QC at least as high as that lock. The
 * replica counts as one of the f faulty ones while it recovers (the targets' fault model allows one
 * Byzantine or amnesiac replica).
 *
 * <p>It catches up by block sync, or by state transfer when the chain it needs is pruned (below).
 *
 * <h2>Checkpoints and state transfer</h2>
 *
 * Every K committed blocks ({@code HotStuffSettings.checkpointInterval}, default 256 of a
 * 1024-block retention, at most half of it), a replica that executes, right after it executed that
 * block, freezes its state: the app's snapshot, the op number and the client table (the
 * at-most-once records and cached answers), headed by the height (committed blocks since genesis)
 * and the block's digest. A worker digests it ({@code oskr.protocol.ChunkTree}: a Merkle tree over
 * 48 KiB chunks, shared with PBFT) and signs a CHECKPOINT, sent to all. f+1 matching CHECKPOINTs
 * (height, block, digest) from distinct replicas prove the checkpoint ({@code Checkpoints}); a
 * replica keeps only the latest proven one, with its own image of it to serve, and at most {@code
 * Checkpoints.PER_REPLICA_MAX} unproven CHECKPOINTs per sender, so memory stays flat.
 *
 * <p>Rule: a replica that finds the chain below what it fetched pruned everywhere (asked of every
 * replica at once, still missing a period later) while the fetched chain proves a block committed
 * above its own last committed one restarts its tree from that block: it lost its state, or it fell
 * behind the retention. It takes part in ordering from there (votes, proposals, commits) without
 * executing or replying, until the latest proven checkpoint's block is on its own retained
 * committed chain; then it fetches that checkpoint's state chunk by chunk from the replicas ({@code
 * StateTransfer}; from a signer of the proof first, the next replica on each timeout), feeding each
 * chunk to the app's snapshot sink as it comes, installs app, client table, op number and height,
 * executes the committed blocks above the checkpoint from its own tree, and executes and replies
 * from then on. A replica less than the retention behind never gets there: the blocks it misses are
 * held, and block sync brings them.
 *
 * <p>Why it is safe: f+1 signers include a correct replica, which executed the committed chain up
 * to that block (the same at every correct replica, by the safety of commits) and digested its
 * state there, so the proven digest is the digest of the one correct state at that height; a faulty
 * replica signs at most one CHECKPOINT per height (a second is dropped as conflicting) and cannot
 * make f+1 alone. Verify checks every chunk against the digest it names with its Merkle path, and
 * the replica takes it only if that is the proven digest: a changed chunk is rejected, a chunk of
 * an invented state dropped ({@code "state chunk of an unproven digest"}), so no chunk not of the
 * proven state reaches the app. The header must name the checkpoint's height and block, and is
 * decoded whole before the app's sink commits. The block is on the replica's own committed chain,
 * verified by its own QCs, so the blocks it executes next are the ones that followed that state at
 * every correct replica. Once installed, the replica digests the state again and checks it equals
 * the proven digest (an invariant). Serving: FETCH-STATE is answered only for the latest proven
 * checkpoint, and at most {@code ChunkBudget.CHUNKS_PER_PERIOD} chunks per requester per view
 * timeout (the rest dropped and counted), so a faulty replica asking again and again cannot amplify
 * traffic; it cannot steer the requester either, which picks its sources itself and moves on after
 * a timeout.
 *
 * <p>Why K blocks rather than K operations: the retention is counted in blocks, and a checkpoint is
 * of use only while its block and the blocks above it are retained; with K at most half the
 * retention, the latest proven checkpoint is retained, however many requests the blocks carry (a
 * count of operations would let blocks of few requests push it out).
 *
 * <h2>Gaps</h2>
 *
 * A replica that restarted its tree above what it executed executes again only from the next proven
 * checkpoint on its retained chain: if the load stops before K more blocks commit, it waits (it
 * orders, and clients get f+1 matching replies from the others). A state whose transfer takes
 * longer than the retention lasts (K blocks until the next checkpoint replaces the one being
 * fetched, which is served no more) is fetched again from the next one: K must be large enough for
 * the state. Every checkpoint digests the whole state (no incremental digest). A crashed or cut-off
 * leader still costs a view timeout every n views (round-robin leaders, no reputation): about 20
 * ops/s in RealClusterFaultTest. FETCH-BLOCKS answers are limited per requester ({@code
 * BlockSync.FETCH_BUDGET_BLOCKS} blocks and about 4 MB per view timeout, refilled by a timer while
 * spent; the rest dropped and counted). The README has HotStuff's row of the evaluation and its
 * table per auth scheme at batch 1 and 100; the targets of issue 11 it misses (0.6x PBFT's
 * throughput with HMAC, one client at p50 1.5 ms) are set by signature checks on two shared cores.
 *
 * <h2>Tests</h2>
 *
 * {@code HotStuffSimulationTest} (normal case with batching, one client, drops and reordering,
 * crashed and silent leaders, a partitioned replica catching up), {@code HotStuffStateLossTest} (a
 * replica restarted without its state under load, genesis pruned: throughput back, it transfers
 * state, executes and replies again, same state as the others), {@code HotStuffStateTransferTest}
 * (a replica partitioned beyond the retention transfers state and replies again; forged checkpoints
 * and wrong chunks are not installed; a flood of FETCH-STATEs gets bounded answers), {@code
 * BlockSyncRateTest} (a flood of FETCH-BLOCKS gets bounded answers), {@code HotStuffByzantineTest}
 * (Twins, an equivocating, lying or silent leader), {@code HotStuffLongRunTest} (100,000 requests,
 * bounded block store), {@code HotStuffPlantedBugsTest} (a one-chain commit rule, found by random
 * seeds), {@code HotStuffCodecTest}, {@code HotStuffPartsTest}, and {@code HotStuffEndToEndTest}
 * over UDP.
 */
package oskr.protocol.hotstuff;
