/**
 * The UDP runtime: the only code (with {@code oskr.sim}) that has threads, sockets and clocks.
 *
 * <h2>Replica threads ({@link oskr.runtime.ReplicaHost})</h2>
 *
 * <ul>
 *   <li>One stateful executor ({@code StatefulExecutor}): runs the replica's events strictly one at
 *       a time in order (messages, fired timers, job results) and owns its timers. Encodes small
 *       messages itself and sends them (a non-blocking {@code sendto}); never blocks on crypto.
 *       {@link oskr.runtime.StageMode} chooses how: {@code INLINE} (the default, {@code Mailbox}:
 *       no thread of its own, events run on the thread that posts them while it is idle, usually
 *       the worker that decoded the message, plus a timer thread that only wakes for due timers) or
 *       {@code THREAD} ({@code ProtocolThread}: a dedicated thread woken by posts).
 *   <li>{@code -w} workers ({@code Worker}), each a transport loop thread with its own {@code
 *       Crypto}: decode and verify received frames (picked by sender, so one sender's frames keep
 *       their order), run jobs (sign, verify, digest), encode and send large messages. Worker 0
 *       also owns the socket: it reads, drops on purpose ({@code --drop}), reassembles fragments.
 * </ul>
 *
 * Hand-offs go through lock-free queues; a consumer is woken (unpark, or the selector's eventfd)
 * only when it sleeps. Queues fed by the network are bounded and drop with a count when full.
 *
 * <p>Sends go through the socket's outboxes ({@link oskr.runtime.udp.Outbox}): on the mmsg
 * transport what one protocol step sends leaves in one {@code sendmmsg} at the end of the step, or
 * at the end of the socket loop's batch of reads when the step ran inside it; elsewhere each
 * datagram leaves at once.
 *
 * <h2>Client threads ({@link oskr.runtime.ClientHost})</h2>
 *
 * {@code threads} loops, clients spread round-robin, each client with its own socket. A loop runs
 * its clients inline (decode, verify, handler, driver): the client side has no hand-off at all.
 *
 * <h2>Choices and the measurements behind them</h2>
 *
 * docs/transport.md: NIO over Netty epoll and mmsg, the inline stage over a protocol thread, park
 * over spin, inline encoding of small messages, fragmentation over a chunked exchange.
 */
package oskr.runtime;
