package oskr.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import oskr.core.Address;
import oskr.core.App;
import oskr.core.Bytes;
import oskr.core.Config;
import oskr.core.crypto.Keyring;
import oskr.core.crypto.Scheme;
import oskr.core.crypto.SigningKey;
import oskr.protocol.Completion;

/** Loopback configs on free ports, keyrings from fixed key material, a counting driver. */
final class RuntimeFixtures {
  private RuntimeFixtures() {}

  static final String LOOPBACK = "127.0.0.1";

  /** Empty results for every operation (runtime tests do not import {@code oskr.app}). */
  static final App NULL_APP = App.stateless((opNumber, op) -> Bytes.EMPTY);

  /** A UDP port that was free a moment ago. */
  static int freePort() throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress(LOOPBACK, 0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }

  static Config oneReplica() throws IOException {
    return Config.of(0, List.of(new Address(LOOPBACK, freePort())));
  }

  static SigningKey replicaKey(int index) {
    return SigningKey.derive(
        ("oskr runtime test replica " + index).getBytes(StandardCharsets.UTF_8));
  }

  static Keyring replicaKeyring(Scheme scheme) {
    SigningKey key = replicaKey(0);
    return new Keyring(scheme, List.of(key.publicKeys()), Optional.of(key));
  }

  static Keyring clientKeyring(Scheme scheme) {
    return Keyring.forClient(scheme, List.of(replicaKey(0).publicKeys()));
  }

  /** Sends fixed operations, counts completions, remembers the first wrong result. */
  static final class CountingDriver implements ClientDriver {
    private final IntFunction<Bytes> ops;
    private final CountDownLatch done;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong wrong = new AtomicLong();
    private final boolean echoExpected;

    CountingDriver(int completions, IntFunction<Bytes> ops, boolean echoExpected) {
      this.done = new CountDownLatch(completions);
      this.ops = ops;
      this.echoExpected = echoExpected;
    }

    static CountingDriver empty(int completions) {
      return new CountingDriver(completions, client -> Bytes.EMPTY, false);
    }

    @Override
    public Bytes nextOp(int client) {
      return ops.apply(client);
    }

    @Override
    public void completed(int client, Bytes result, Completion completion, long latencyNanos) {
      if (latencyNanos < 0) wrong.incrementAndGet();
      if (echoExpected && !result.equals(ops.apply(client))) wrong.incrementAndGet();
      completed.incrementAndGet();
      done.countDown();
    }

    boolean await(long seconds) throws InterruptedException {
      return done.await(seconds, TimeUnit.SECONDS);
    }
  }
}
