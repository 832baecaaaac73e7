package oskr.runtime;

import java.util.concurrent.atomic.AtomicBoolean;
import oskr.core.crypto.Crypto;
import oskr.core.crypto.Keyring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets the replica's signature code compiled before it is needed. Where signatures are rare (PBFT
 * with MACs signs only checkpoints and view changes), BouncyCastle's big scalar-multiplication
 * methods would otherwise reach C2 minutes into a run, and their compilation (measured: ~3 s of a
 * core per JVM, during a benchmark's window) would steal a large share of two shared cores. A
 * daemon thread of the lowest priority signs and verifies {@link #ROUNDS} times once per JVM
 * (~0.7 s of a core on an idle machine), enough for C2 to compile them (checked with
 * -XX:+PrintCompilation).
 */
final class CryptoWarmUp {
  static final int ROUNDS = 4000;

  private static final Logger log = LoggerFactory.getLogger(CryptoWarmUp.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private CryptoWarmUp() {}

  static void startOnce(Keyring keyring) {
    if (keyring.own().isEmpty() || !STARTED.compareAndSet(false, true)) return;
    Thread thread = new Thread(() -> run(keyring), "oskr-crypto-warm-up");
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    thread.start();
  }

  private static void run(Keyring keyring) {
    Crypto crypto = new Crypto(keyring);
    byte[] message = new byte[64];
    long started = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) {
      message[i % message.length] ^= (byte) i;
      var signature = crypto.sign(message, 0, message.length);
      if (!crypto.verify(crypto.ownIndex(), message, 0, message.length, signature)) {
        log.warn("crypto warm-up: own signature did not verify (key file and config disagree?)");
        return;
      }
    }
    log.debug("crypto warm-up: {} rounds in {} ms", ROUNDS, (System.nanoTime() - started) / 1e6);
  }
}
