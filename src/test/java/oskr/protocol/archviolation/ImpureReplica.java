package oskr.protocol.archviolation;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import oskr.app.NullApp;
import oskr.core.archviolation.CoreUsingProtocol;
import oskr.protocol.unreplicated.Unreplicated;

/**
 * A deliberately bad protocol class, never run: ArchitectureTest checks that each of its rules
 * flags what this class does, so that no rule can pass by matching nothing. Test code only; the
 * real architecture check does not import test classes.
 */
@SuppressWarnings("unused")
public final class ImpureReplica {
  private static int instances; // static mutable state
  private static final List<String> LOG = new ArrayList<>(); // a static final mutable collection
  private static final int[] COUNTS = new int[4]; // a static final mutable array
  private volatile boolean running;
  private final ConcurrentHashMap<Long, Long> table = new ConcurrentHashMap<>();
  private final Random random = new Random();
  private final SecureRandom secureRandom = new SecureRandom();
  private Thread thread;
  private InetSocketAddress socketAddress;
  private final NullApp app = new NullApp(); // not in oskr.core
  private final Unreplicated otherProtocol = Unreplicated.PLAIN; // another protocol package
  private CoreUsingProtocol cycle; // oskr.core.archviolation depends back on this class

  synchronized long readsTheClock() {
    instances++;
    return System.nanoTime() + System.currentTimeMillis() + Instant.now().getNano();
  }

  double drawsRandomness() {
    return Math.random();
  }
}
