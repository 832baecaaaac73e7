package oskr.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oskr.core.Config;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.protocol.Protocol;
import oskr.runtime.udp.DropCounters;
import oskr.runtime.udp.Receiver;
import oskr.runtime.udp.SharedClientSocket;
import oskr.runtime.udp.Transport;
import oskr.runtime.udp.UdpLoop;
import oskr.runtime.udp.UdpSocket;

/**
 * One client event loop: a transport loop thread that runs its clients inline (it is their protocol
 * thread and their worker at once: no hand-off on the client side), with one timer heap, one {@link
 * Crypto} and one encoder for all of them. A client that throws stops the whole loop (fail-stop)
 * and the failure is reported by the host.
 */
final class ClientLoop<M> {
  private static final Logger log = LoggerFactory.getLogger(ClientLoop.class);

  final Protocol<M> protocol;
  final Config config;
  final DropCounters drops;
  final UdpLoop loop;
  // Loop thread only (handed over through the loop's task queue):
  final Timers timers = new Timers();

  /** Shared by the loop's clients: they all run on its one thread. */
  final SecureRandomness random = new SecureRandomness();

  final Addresses addresses;
  private final Crypto crypto;
  private final Writer writer = new Writer(1 << 12);
  private volatile Throwable failure;
  private SharedClientSocket shared; // set before the clients are made, on the starting thread

  ClientLoop(
      Protocol<M> protocol,
      Config config,
      Keyring keyring,
      InetSocketAddress[] replicas,
      DropCounters drops,
      Transport transport,
      String name)
      throws IOException {
    this.protocol = protocol;
    this.config = config;
    this.drops = drops;
    this.addresses = new Addresses(config, replicas);
    this.crypto = new Crypto(keyring);
    this.loop = transport.newLoop(name, this::onWake);
  }

  /**
   * Makes the loop's clients share one socket, on an ephemeral port of {@code bind}, from now on.
   *
   * @throws IOException saying why the loop's transport cannot
   */
  void shareSocket(java.net.InetAddress bind) throws IOException {
    shared = loop.openSharedClients(drops, bind);
  }

  boolean sharesSocket() {
    return shared != null;
  }

  /**
   * The socket of client {@code index}: its view of the loop's shared socket, or its own bound to
   * {@code bind}.
   */
  UdpSocket socketFor(int index, InetSocketAddress bind, Receiver receiver) throws IOException {
    return shared != null
        ? shared.member(index, receiver)
        : loop.open(bind, receiver, false, drops);
  }

  Crypto crypto() {
    return crypto;
  }

  Writer writer() {
    return writer.reset();
  }

  /** Runs a client event; a throw stops the loop's clients for good. */
  void guarded(Runnable event) {
    if (failure != null) return;
    try {
      event.run();
    } catch (RuntimeException | AssertionError e) {
      failure = e;
      log.error("{}: a client failed, its loop stops", loop.thread().getName(), e);
    }
  }

  boolean failed() {
    return failure != null;
  }

  Throwable failure() {
    return failure;
  }

  /** Arms the loop's wake-up for a timer deadline just set. */
  void wakeBy(long deadlineNanos) {
    loop.wakeAt(deadlineNanos);
  }

  private void onWake() {
    guarded(() -> timers.fireDue(System.nanoTime()));
    long next = timers.nextCheck();
    if (next != Timers.NONE) loop.wakeAt(next);
  }

  void close() {
    loop.close();
  }
}
