package oskr.runtime.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * One I/O thread: it owns sockets and calls their {@link Receiver}s, runs submitted tasks in order,
 * and calls its wake-up callback at a requested deadline. Everything a loop calls runs on its
 * thread, one at a time. An exception escaping a task or receiver is logged and the loop goes on:
 * owners that need fail-stop catch their own.
 */
public interface UdpLoop extends AutoCloseable {
  /**
   * Opens a socket bound to {@code bind} whose datagrams go to {@code receiver} on this loop.
   *
   * @param batchedReceive read many datagrams per system call (recvmmsg) where the transport can;
   *     worth it on a socket many peers send to, not on a client's own socket
   * @throws IOException if the address is in use or not local; the message names the address
   */
  UdpSocket open(
      InetSocketAddress bind, Receiver receiver, boolean batchedReceive, DropCounters drops)
      throws IOException;

  /**
   * Opens a socket on {@code group}'s port that joins the multicast group on {@code
   * networkInterface}.
   */
  UdpSocket openMulticast(
      InetSocketAddress group,
      NetworkInterface networkInterface,
      Receiver receiver,
      DropCounters drops)
      throws IOException;

  /**
   * Opens one socket for many clients of this loop ({@link SharedClientSocket}) on an ephemeral
   * port of {@code bind}, whose queued sends the loop flushes before it waits.
   *
   * @throws IOException saying why this loop cannot (only the mmsg transports can)
   */
  default SharedClientSocket openSharedClients(DropCounters drops, java.net.InetAddress bind)
      throws IOException {
    throw new IOException("only the mmsg transport shares client sockets");
  }

  /** Runs {@code task} on the loop thread, after the tasks submitted before it. Thread safe. */
  void execute(Runnable task);

  /** Whether the caller is this loop's thread. */
  boolean inLoop();

  /**
   * Calls the loop's wake-up callback on the loop thread once {@link System#nanoTime()} reaches
   * {@code deadlineNanos}, unless an earlier wake-up is already due. Loop thread only; cheap to
   * call often with later deadlines (nothing is scheduled then).
   */
  void wakeAt(long deadlineNanos);

  /** The loop's thread, for CPU accounting. */
  Thread thread();

  /** Stops the thread and closes the sockets; returns once the thread has ended. Idempotent. */
  @Override
  void close();
}
