package oskr.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * At-most-once execution, in bounded memory: per client, the number of its latest answered request
 * (executed, or refused) and, once ready, the reply to it, for at most {@code clientsMax} clients.
 * A retried request gets the cached reply and is never executed again; an older one is ignored.
 * Keyed lookups only (the hash map is never iterated), so runs stay deterministic.
 *
 * <ul>
 *   <li>Eviction: when a client that is not in the full table is answered, the client answered
 *       longest ago leaves it.
 *   <li>The low-water mark is the highest request number an evicted client had. A request of a
 *       client not in the table at or below it is refused ({@link Verdict#REFUSE}), never executed:
 *       it may be an evicted client's old request, delayed by the network. The refusal becomes the
 *       client's entry (a retry gets the same reply) and names the request number the client
 *       retries its operation from ({@link #refuse}): above every number answered so far, so only
 *       clients answered after the refusal, and evicted before the retry arrives, can refuse it
 *       again. Requests of that client below that number are refused too.
 *   <li>A request whose number runs more than {@link #REQUEST_LEAD_MAX} ahead of the requests
 *       answered so far is refused (and not remembered), so that no client can push request
 *       numbers, and the low-water mark, to the end of their range. Correct clients never get
 *       there: they number 1, 2, ... and jump only to a number a refusal named.
 * </ul>
 *
 * <p>A request executes at most once, its client evicted or not. The limit: a client evicted after
 * its request executed and before it got the reply has its retry refused, and sends the operation
 * again under a new number; this takes {@code clientsMax} other clients answered in between.
 *
 * @param <R> the protocol's reply message
 */
public final class ClientTable<R> {
  /** What to do with a request, given what the table remembers of its client. */
  public enum Verdict {
    /** Newer than anything answered to this client: execute it. */
    NEW,
    /** The latest request again, and its reply is ready: send the reply again. */
    RESEND_REPLY,
    /** The latest request again, still being executed or signed: wait. */
    IN_PROGRESS,
    /** Older than the client's latest: the client has moved on. */
    STALE,
    /** Possibly an evicted client's old request, or numbered too far ahead: {@link #refuse} it. */
    REFUSE
  }

  /** How far a request number may run ahead of the number of requests answered so far. */
  public static final long REQUEST_LEAD_MAX = 1L << 32;

  private static final class Entry<R> {
    long requestNumber;

    /** Requests of this client at or below it are refused (above requestNumber after a refusal). */
    long floor;

    /** When it was answered: {@link #answeredCount} then. */
    long answered;

    R reply;
  }

  private final HashMap<Long, Entry<R>> entries = new HashMap<>();

  /** Client ids by {@link Entry#answered}, oldest first: the eviction order. */
  private final TreeMap<Long, Long> byAnswered = new TreeMap<>();

  private final int clientsMax;
  private long answeredCount;
  private long lowWater;
  private long highestAnswered;

  public ClientTable() {
    this(Limits.CLIENTS_MAX);
  }

  public ClientTable(int clientsMax) {
    if (clientsMax < 1) throw new IllegalArgumentException("a client table needs room");
    this.clientsMax = clientsMax;
  }

  public Verdict check(long clientId, long requestNumber) {
    Entry<R> entry = entries.get(clientId);
    if (entry != null && requestNumber < entry.requestNumber) return Verdict.STALE;
    if (entry != null && requestNumber == entry.requestNumber) {
      return entry.reply == null ? Verdict.IN_PROGRESS : Verdict.RESEND_REPLY;
    }
    long floor = entry == null ? lowWater : entry.floor;
    boolean tooFarAhead = requestNumber - answeredCount > REQUEST_LEAD_MAX;
    return requestNumber <= floor || tooFarAhead ? Verdict.REFUSE : Verdict.NEW;
  }

  /** Records that {@code requestNumber} is being executed; its reply is not ready yet. */
  public void start(long clientId, long requestNumber) {
    assert check(clientId, requestNumber) == Verdict.NEW : "started a request that is not new";
    put(clientId, requestNumber, requestNumber);
  }

  /**
   * Records a refusal (after {@link Verdict#REFUSE}), unless the number runs too far ahead; the
   * refusal reply goes through {@link #finish} like a result.
   *
   * @return the request number the client retries its operation from
   */
  public long refuse(long clientId, long requestNumber) {
    assert check(clientId, requestNumber) == Verdict.REFUSE : "refused a request to execute";
    long retryFrom = highestAnswered + 1;
    if (requestNumber < retryFrom) put(clientId, requestNumber, retryFrom - 1);
    return retryFrom;
  }

  private void put(long clientId, long requestNumber, long floor) {
    Entry<R> entry = entries.get(clientId);
    if (entry == null) {
      if (entries.size() >= clientsMax) evictOldest();
      entry = new Entry<>();
      entries.put(clientId, entry);
    } else {
      byAnswered.remove(entry.answered);
    }
    entry.requestNumber = requestNumber;
    entry.floor = floor;
    entry.answered = answeredCount++;
    entry.reply = null;
    byAnswered.put(entry.answered, clientId);
    highestAnswered = Math.max(highestAnswered, requestNumber);
    assert entries.size() <= clientsMax : "client table over its bound";
  }

  private void evictOldest() {
    Map.Entry<Long, Long> oldest = byAnswered.pollFirstEntry();
    Entry<R> evicted = entries.remove(oldest.getValue());
    lowWater = Math.max(lowWater, evicted.requestNumber);
  }

  /**
   * Stores the reply to {@code requestNumber}; ignored if the client has moved on meanwhile (or was
   * evicted).
   *
   * @return whether it was stored
   */
  public boolean finish(long clientId, long requestNumber, R reply) {
    Entry<R> entry = entries.get(clientId);
    if (entry == null || entry.requestNumber != requestNumber) return false;
    entry.reply = reply;
    return true;
  }

  /** The reply cached for the client's latest request. Call only after RESEND_REPLY. */
  public R reply(long clientId) {
    Entry<R> entry = entries.get(clientId);
    if (entry == null || entry.reply == null) throw new IllegalStateException("no reply cached");
    return entry.reply;
  }

  public int size() {
    return entries.size();
  }

  /** The highest request number of an evicted client. */
  public long lowWater() {
    return lowWater;
  }

  /** Reads one reply written by the protocol's reply encoder. */
  @FunctionalInterface
  public interface ReplyDecoder<R> {
    R decode(Reader in) throws MalformedMessage;
  }

  /**
   * Writes the whole table, so that a replica that installs a checkpoint decides every later
   * request as the replicas that executed up to it do (VR ships it with its snapshots). Entries go
   * out in eviction order; equal tables give equal bytes.
   */
  public void encode(Writer out, BiConsumer<Writer, R> replyEncoder) {
    out.u64(answeredCount).u64(lowWater).u64(highestAnswered).u32(entries.size());
    for (long clientId : byAnswered.values()) {
      Entry<R> entry = entries.get(clientId);
      out.i64(clientId).u64(entry.requestNumber).u64(entry.floor).u64(entry.answered);
      out.bool(entry.reply != null);
      if (entry.reply != null) replyEncoder.accept(out, entry.reply);
    }
  }

  /**
   * Reads a table written by {@link #encode}, checking it as input from a peer: at most {@code
   * clientsMax} entries, each client once, answer counts increasing and below the table's.
   */
  public static <R> ClientTable<R> decode(Reader in, int clientsMax, ReplyDecoder<R> replyDecoder)
      throws MalformedMessage {
    ClientTable<R> table = new ClientTable<>(clientsMax);
    table.answeredCount = in.u64();
    table.lowWater = in.u64();
    table.highestAnswered = in.u64();
    int count = in.count(clientsMax);
    long previous = -1;
    for (int i = 0; i < count; i++) {
      long clientId = in.i64();
      Entry<R> entry = new Entry<>();
      entry.requestNumber = in.u64();
      entry.floor = in.u64();
      entry.answered = in.u64();
      if (entry.answered <= previous || entry.answered >= table.answeredCount) {
        throw MalformedMessage.of("ClientTable.answered");
      }
      previous = entry.answered;
      if (in.bool()) entry.reply = replyDecoder.decode(in);
      if (table.entries.put(clientId, entry) != null) {
        throw MalformedMessage.of("ClientTable.clientId");
      }
      table.byAnswered.put(entry.answered, clientId);
    }
    return table;
  }
}
