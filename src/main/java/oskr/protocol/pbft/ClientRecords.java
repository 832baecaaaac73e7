package oskr.protocol.pbft;

import java.util.Map;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Limits;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;

/**
 * At-most-once execution (TOCS §4.2, the last reply sent to each client), in bounded memory: per
 * client, its latest answered request (executed, or refused) and the reply to it, for at most
 * {@code clientsMax} clients. Part of the checkpointed state, so it is sorted (canonical snapshot
 * bytes) and travels with state transfer.
 *
 * <p>Each decision is made as a committed request executes, from this state alone, so it is a
 * function of the committed history: every correct replica makes it alike, at the same point.
 *
 * <ul>
 *   <li>Eviction: when a client that is not in the full table is answered, the client answered
 *       longest ago (in execution order) leaves it.
 *   <li>The low-water mark is the highest request number an evicted client had. A request of a
 *       client not in the table at or below it is refused, never executed: it may be an evicted
 *       client's old request, delayed or replayed by a faulty primary. The refusal is the client's
 *       entry now (so a retransmission gets the same refusal), and tells it to retry from a number
 *       above every number answered so far ({@link #retryFrom}); requests of that client below that
 *       number are refused too. A newcomer is thus refused at most once, unless clients answered
 *       after its refusal fill the table and are evicted before its retry executes.
 *   <li>A request whose number runs more than {@link #REQUEST_LEAD_MAX} ahead of the op number it
 *       would execute at is refused (and not remembered), so that no client can push request
 *       numbers, and the low-water mark, to the end of their range and shut newcomers out. Correct
 *       clients never get there: they number 1, 2, ... and jump only to a number a refusal named.
 * </ul>
 *
 * <p>At most once: a request (client, number) executes at most once, evicted or not, because an
 * evicted client's numbers are all at or below the low-water mark, which never falls. A client
 * re-issues an operation only after f+1 refusals, and a refused request never executes later. The
 * limit: if a client is evicted after its request executed and before it heard f+1 replies, its
 * retransmission is refused and the operation executes a second time; the client cannot tell this
 * from a plain refusal. Eviction takes the least recently answered client, so this needs {@code
 * clientsMax} other clients answered in between.
 */
final class ClientRecords {
  /** What a committed request does when its turn to execute comes. */
  enum Decision {
    EXECUTE,
    /** Executed or refused already: at most once. */
    DUPLICATE,
    REFUSE
  }

  /**
   * A client's latest answered request: executed ({@code retryFrom} 0, {@code result} its result)
   * or refused (the client retries from request number {@code retryFrom}; no result). {@code
   * answered} orders clients for eviction.
   */
  record Entry(long requestNumber, long retryFrom, Bytes result, long answered) {
    Entry {
      assert retryFrom == 0 || retryFrom > requestNumber : "a refusal to retry below the request";
      assert retryFrom == 0 || result.length() == 0 : "a refusal with a result";
    }
  }

  /**
   * How far a request number may run ahead of the op number it executes at; past it the request is
   * refused. Correct clients stay below (see the class comment); the bound only keeps request
   * numbers, and so the low-water mark, far from overflowing.
   */
  static final long REQUEST_LEAD_MAX = 1L << 32;

  private final int clientsMax;
  private final TreeMap<ClientIdentity, Entry> entries = new TreeMap<>();

  /** The clients by {@link Entry#answered}, oldest first: the eviction order. */
  private final TreeMap<Long, ClientIdentity> byAnswered = new TreeMap<>();

  /** Requests answered so far: the next entry's {@link Entry#answered}. */
  private long answeredCount;

  /** The highest request number of an evicted client. */
  private long lowWater;

  /** The highest request number answered (executed or refused and remembered) so far. */
  private long highestAnswered;

  /**
   * @param clientsMax the most clients remembered: {@link Limits#CLIENTS_MAX}, smaller in tests
   */
  ClientRecords(int clientsMax) {
    assert clientsMax >= 1 : clientsMax;
    this.clientsMax = clientsMax;
  }

  /** The most clients this table remembers. */
  int clientsMax() {
    return clientsMax;
  }

  /** The latest answered (executed or refused) request number of {@code client}, 0 if none. */
  long lastExecuted(ClientIdentity client) {
    Entry entry = entries.get(client);
    return entry == null ? 0 : entry.requestNumber();
  }

  /** The reply to the client's latest answered request; call only when there is one. */
  Entry latest(ClientIdentity client) {
    Entry entry = entries.get(client);
    if (entry == null) throw new IllegalStateException("no request answered for this client");
    return entry;
  }

  /**
   * Decides a committed request about to execute as op number {@code opNumber + 1}; records a
   * refusal of a request at or below the client's floor (see the class comment).
   */
  Decision decide(ClientIdentity client, long requestNumber, long opNumber) {
    Entry entry = entries.get(client);
    if (entry != null && requestNumber <= entry.requestNumber()) return Decision.DUPLICATE;
    long floor = entry == null ? lowWater : Math.max(entry.requestNumber(), entry.retryFrom() - 1);
    if (requestNumber <= floor) {
      put(client, new Entry(requestNumber, retryFrom(), Bytes.EMPTY, answeredCount));
      return Decision.REFUSE;
    }
    return requestNumber - opNumber > REQUEST_LEAD_MAX ? Decision.REFUSE : Decision.EXECUTE;
  }

  /**
   * Where a refused client retries: above every request number answered so far, so above the
   * low-water mark and every client still in the table. Only clients answered after this point, and
   * then evicted before the retry executes, can raise the mark above it again.
   */
  long retryFrom() {
    return highestAnswered + 1;
  }

  /** Records an executed request (after {@link Decision#EXECUTE}). */
  void record(ClientIdentity client, long requestNumber, Bytes result) {
    assert requestNumber > lastExecuted(client) : "executed twice";
    put(client, new Entry(requestNumber, 0, result, answeredCount));
  }

  private void put(ClientIdentity client, Entry entry) {
    Entry previous = entries.get(client);
    if (previous != null) {
      byAnswered.remove(previous.answered());
    } else if (entries.size() >= clientsMax) {
      evictOldest();
    }
    entries.put(client, entry);
    byAnswered.put(entry.answered(), client);
    answeredCount++;
    highestAnswered = Math.max(highestAnswered, entry.requestNumber());
    assert entries.size() <= clientsMax : "client table over its bound";
    assert byAnswered.size() == entries.size() : "eviction order out of step";
  }

  private void evictOldest() {
    Map.Entry<Long, ClientIdentity> oldest = byAnswered.pollFirstEntry();
    Entry evicted = entries.remove(oldest.getValue());
    lowWater = Math.max(lowWater, evicted.requestNumber());
  }

  int size() {
    return entries.size();
  }

  long lowWater() {
    return lowWater;
  }

  void encode(Writer out) {
    out.u32(entries.size()).u64(lowWater).u64(highestAnswered).u64(answeredCount);
    for (Map.Entry<ClientIdentity, Entry> each : entries.entrySet()) {
      Entry entry = each.getValue();
      out.bytes(each.getKey().key());
      out.i64(each.getKey().id())
          .u64(entry.requestNumber())
          .u64(entry.retryFrom())
          .u64(entry.answered())
          .bytes(entry.result());
    }
  }

  /** Replaces the content with a decoded snapshot (verified against a digest beforehand). */
  void decode(Reader in) throws MalformedMessage {
    int count = in.count(clientsMax);
    long decodedLowWater = in.u64();
    long decodedHighestAnswered = in.u64();
    long decodedAnsweredCount = in.u64();
    if (decodedLowWater > decodedHighestAnswered) throw MalformedMessage.of("ClientRecords.low");
    TreeMap<ClientIdentity, Entry> decoded = new TreeMap<>();
    TreeMap<Long, ClientIdentity> order = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      Bytes key = in.bytes(PbftMessage.Request.CLIENT_KEY_MAX);
      ClientIdentity client = new ClientIdentity(key, in.i64());
      long requestNumber = in.u64();
      long retryFrom = in.u64();
      long answered = in.u64();
      Bytes result = in.bytes(Limits.OP_MAX);
      boolean refusal = retryFrom != 0;
      boolean refusalValid = retryFrom > requestNumber && result.length() == 0;
      if (requestNumber == 0
          || requestNumber > decodedHighestAnswered
          || (refusal && !refusalValid)) {
        throw MalformedMessage.of("ClientRecords.entry");
      }
      if (answered >= decodedAnsweredCount || order.put(answered, client) != null) {
        throw MalformedMessage.of("ClientRecords.answered");
      }
      if (decoded.put(client, new Entry(requestNumber, retryFrom, result, answered)) != null) {
        throw MalformedMessage.of("ClientRecords.client");
      }
    }
    entries.clear();
    entries.putAll(decoded);
    byAnswered.clear();
    byAnswered.putAll(order);
    lowWater = decodedLowWater;
    highestAnswered = decodedHighestAnswered;
    answeredCount = decodedAnsweredCount;
  }
}
