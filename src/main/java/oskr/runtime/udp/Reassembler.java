package oskr.runtime.udp;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import oskr.core.Limits;

/**
 * Puts fragmented frames back together; one per receiving socket, confined to its loop thread.
 * Everything is bounded: partial frames per sender and in all, the bytes they hold, and their age.
 * Past a bound the oldest partial frame is evicted; a fragment that breaks the format is dropped.
 * Every drop is counted by reason.
 */
public final class Reassembler {
  public static final int PARTIALS_PER_SENDER_MAX = 4;
  public static final int PARTIALS_MAX = 64;
  public static final long PARTIAL_BYTES_MAX = 2L * Limits.FRAME_MAX;
  public static final Duration PARTIAL_TIMEOUT = Duration.ofSeconds(2);

  static final String MALFORMED = "fragment: malformed";
  static final String DUPLICATE = "fragment: duplicate";
  static final String EXPIRED = "fragment: partial frame expired";
  static final String EVICTED = "fragment: partial frame evicted";

  /** A frame by its sender: address, tag (clients of one shared socket) and frame id. */
  private record Key(InetSocketAddress sender, int tag, long frameId) {}

  private static final class Partial {
    final Key key;
    final int frameLength;
    final byte[][] fragments; // whole datagrams, header included: no copy until assembly
    final long startedNanos;
    int received;
    long bytes;

    Partial(Key key, int frameLength, int count, long startedNanos) {
      this.key = key;
      this.frameLength = frameLength;
      this.fragments = new byte[count][];
      this.startedNanos = startedNanos;
    }
  }

  private final DropCounters drops;
  private final long timeoutNanos = PARTIAL_TIMEOUT.toNanos();
  private final LinkedHashMap<Key, Partial> partials = new LinkedHashMap<>(); // oldest first
  private long bytes;

  public Reassembler(DropCounters drops) {
    this.drops = drops;
  }

  /**
   * Takes one fragment ({@link Fragments#isFragment} holds); the datagram array is kept.
   *
   * @return the whole frame once its last fragment arrived, else null
   */
  public byte[] accept(InetSocketAddress from, byte[] datagram, long nowNanos) {
    return accept(from, Tags.NONE, datagram, nowNanos);
  }

  /** As {@link #accept(InetSocketAddress, byte[], long)}, from the client {@code tag} names. */
  public byte[] accept(InetSocketAddress from, int tag, byte[] datagram, long nowNanos) {
    expire(nowNanos);
    if (!wellFormed(datagram)) {
      drops.count(MALFORMED);
      return null;
    }
    int frameLength = Fragments.frameLength(datagram);
    Key key = new Key(from, tag, Fragments.frameId(datagram));
    Partial partial = partials.get(key);
    if (partial == null) {
      partial = start(key, frameLength, nowNanos);
    } else if (partial.frameLength != frameLength) {
      drops.count(MALFORMED);
      return null;
    }
    int index = Fragments.index(datagram);
    if (partial.fragments[index] != null) {
      drops.count(DUPLICATE);
      return null;
    }
    makeRoom(datagram.length, partial);
    partial.fragments[index] = datagram;
    partial.received++;
    partial.bytes += datagram.length;
    bytes += datagram.length;
    if (partial.received < partial.fragments.length) return null;
    remove(partial);
    return assemble(partial);
  }

  /** The header is consistent and the payload has exactly the length its index implies. */
  private static boolean wellFormed(byte[] datagram) {
    if (datagram.length < Fragments.HEADER_LENGTH) return false;
    int frameLength = Fragments.frameLength(datagram);
    if (frameLength <= Limits.DATAGRAM_MAX || frameLength > Limits.FRAME_MAX) return false;
    int count = Fragments.count(datagram);
    int index = Fragments.index(datagram);
    if (count != Fragments.count(frameLength) || index >= count) return false;
    int payload = datagram.length - Fragments.HEADER_LENGTH;
    return payload == Fragments.payloadLength(frameLength, index, count);
  }

  private Partial start(Key key, int frameLength, long nowNanos) {
    if (partialsOf(key) >= PARTIALS_PER_SENDER_MAX) evictOldestOf(key);
    if (partials.size() >= PARTIALS_MAX) evict(partials.values().iterator().next());
    Partial partial = new Partial(key, frameLength, Fragments.count(frameLength), nowNanos);
    partials.put(key, partial);
    return partial;
  }

  /** Evicts the oldest other partial frames until {@code more} bytes fit the budget. */
  private void makeRoom(int more, Partial keep) {
    Iterator<Partial> oldestFirst = partials.values().iterator();
    while (bytes + more > PARTIAL_BYTES_MAX && oldestFirst.hasNext()) {
      Partial partial = oldestFirst.next();
      if (partial == keep) continue;
      oldestFirst.remove();
      bytes -= partial.bytes;
      drops.count(EVICTED);
    }
    assert bytes + more <= PARTIAL_BYTES_MAX : "one partial frame exceeds the byte budget";
  }

  private void expire(long nowNanos) {
    Iterator<Partial> oldestFirst = partials.values().iterator();
    while (oldestFirst.hasNext()) {
      Partial partial = oldestFirst.next();
      if (nowNanos - partial.startedNanos < timeoutNanos) return;
      oldestFirst.remove();
      bytes -= partial.bytes;
      drops.count(EXPIRED);
    }
  }

  /** The partial frames of {@code key}'s sender (address and tag). */
  private int partialsOf(Key key) {
    int count = 0;
    for (Key other : partials.keySet()) if (sameSender(key, other)) count++;
    return count;
  }

  private void evictOldestOf(Key key) {
    for (Partial partial : partials.values()) {
      if (sameSender(key, partial.key)) {
        evict(partial);
        return;
      }
    }
  }

  private static boolean sameSender(Key a, Key b) {
    return a.tag() == b.tag() && a.sender().equals(b.sender());
  }

  private void evict(Partial partial) {
    remove(partial);
    drops.count(EVICTED);
  }

  private void remove(Partial partial) {
    partials.remove(partial.key);
    bytes -= partial.bytes;
  }

  private static byte[] assemble(Partial partial) {
    byte[] frame = new byte[partial.frameLength];
    for (int index = 0; index < partial.fragments.length; index++) {
      byte[] fragment = partial.fragments[index];
      int length = fragment.length - Fragments.HEADER_LENGTH;
      System.arraycopy(
          fragment, Fragments.HEADER_LENGTH, frame, index * Fragments.PAYLOAD_MAX, length);
    }
    return frame;
  }

  /** Partial frames held, for tests and reports. */
  public int partialCount() {
    return partials.size();
  }

  /** Bytes held by partial frames. */
  public long partialBytes() {
    return bytes;
  }
}
