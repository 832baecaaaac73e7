package oskr.protocol;

import java.util.HashMap;
import oskr.core.Limits;

/**
 * At-most-once execution: per client, the number of its latest request and, once ready, the reply
 * to it. A retried request gets the cached reply and is never executed again; an older one is
 * ignored. Keyed lookups only (never iterated), so the hash map keeps runs deterministic.
 *
 * @param <R> the protocol's reply message
 */
public final class ClientTable<R> {
  /** What to do with a request, given what the table remembers of its client. */
  public enum Verdict {
    /** Newer than anything seen from this client: execute it. */
    NEW,
    /** The latest request again, and its reply is ready: send the reply again. */
    RESEND_REPLY,
    /** The latest request again, still being executed or signed: wait. */
    IN_PROGRESS,
    /** Older than the client's latest: the client has moved on. */
    STALE,
    /** A new client, but the table is full. */
    FULL
  }

  private static final class Entry<R> {
    long requestNumber;
    R reply;
  }

  private final HashMap<Long, Entry<R>> entries = new HashMap<>();
  private final int clientsMax;

  public ClientTable() {
    this(Limits.CLIENTS_MAX);
  }

  public ClientTable(int clientsMax) {
    this.clientsMax = clientsMax;
  }

  public Verdict check(long clientId, long requestNumber) {
    Entry<R> entry = entries.get(clientId);
    if (entry == null) return entries.size() >= clientsMax ? Verdict.FULL : Verdict.NEW;
    if (requestNumber > entry.requestNumber) return Verdict.NEW;
    if (requestNumber < entry.requestNumber) return Verdict.STALE;
    return entry.reply == null ? Verdict.IN_PROGRESS : Verdict.RESEND_REPLY;
  }

  /** Records that {@code requestNumber} is being executed; its reply is not ready yet. */
  public void start(long clientId, long requestNumber) {
    Entry<R> entry = entries.computeIfAbsent(clientId, id -> new Entry<>());
    assert requestNumber > entry.requestNumber || entry.requestNumber == 0 : "request number went back";
    entry.requestNumber = requestNumber;
    entry.reply = null;
  }

  /**
   * Stores the reply to {@code requestNumber}; ignored if the client has moved on meanwhile.
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
}
