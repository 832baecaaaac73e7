package oskr.runtime;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import oskr.core.Writer;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import oskr.runtime.udp.Transport;
import oskr.runtime.udp.UdpLoop;

/**
 * A stateless worker: a transport loop thread with its own {@link Crypto} and encoder. It decodes
 * and verifies received frames, runs jobs (sign, verify, digest) and encodes large messages. The
 * first worker also owns the node's socket, so frames it is picked for skip a hand-off.
 */
final class Worker {
  /** Frames waiting for one worker; past it, new frames are dropped (jobs never are). */
  static final int BACKLOG_MAX = 1 << 14;

  static final String BACKLOG_FULL = "stage: worker backlog full";

  final UdpLoop loop;
  private final Crypto crypto;
  private final Writer writer = new Writer(1 << 12);
  private final AtomicInteger backlog = new AtomicInteger();

  Worker(Transport transport, String name, Keyring keyring) throws IOException {
    this.crypto = new Crypto(keyring);
    this.loop = transport.newLoop(name, () -> {});
  }

  /** This worker's crypto; only on its thread. */
  Crypto crypto() {
    assert loop.inLoop() : "a worker's crypto used off its thread";
    return crypto;
  }

  /** This worker's encoder, reset; only on its thread. */
  Writer writer() {
    assert loop.inLoop() : "a worker's writer used off its thread";
    return writer.reset();
  }

  /**
   * Runs {@code task} on this worker right away if the caller is its thread, else queues it unless
   * the backlog is full.
   *
   * @return false if dropped
   */
  boolean offerFrame(Runnable task) {
    if (loop.inLoop()) {
      task.run();
      return true;
    }
    if (backlog.incrementAndGet() > BACKLOG_MAX) {
      backlog.decrementAndGet();
      return false;
    }
    loop.execute(
        () -> {
          backlog.decrementAndGet();
          task.run();
        });
    return true;
  }

  void close() {
    loop.close();
  }
}
