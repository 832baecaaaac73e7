package oskr.protocol.zyzzyva;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import oskr.core.Bytes;
import oskr.core.Digest;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.OrderReq;
import oskr.protocol.zyzzyva.ZyzzyvaMessage.Request;

/**
 * The speculative history above the stable checkpoint (SOSP'07 §3.1): one slot per sequence number,
 * contiguous from {@code baseSeq + 1}, each with its history digest and the op number of its last
 * executed request. Bounded by the log window: the primary orders no further.
 */
final class History {
  /**
   * One ordered batch: the view that ordered (or last adopted) it, its digests, the primary's
   * signature on (v, n, h_n) when it came as an ORDER-REQ of that view (empty after a NEW-VIEW).
   */
  record Slot(
      long view,
      long seq,
      Digest previousDigest,
      Digest historyDigest,
      List<Request> batch,
      Bytes orderAuth,
      long opNumberEnd) {
    OrderReq orderReq() {
      return new OrderReq(view, seq, previousDigest, historyDigest, batch, orderAuth);
    }
  }

  private final TreeMap<Long, Slot> slots = new TreeMap<>();
  private long baseSeq;
  private Digest baseDigest = Digest.ZERO;
  private long baseOpNumber;

  long baseSeq() {
    return baseSeq;
  }

  Digest baseDigest() {
    return baseDigest;
  }

  long lastSeq() {
    return slots.isEmpty() ? baseSeq : slots.lastKey();
  }

  Digest lastDigest() {
    return slots.isEmpty() ? baseDigest : slots.lastEntry().getValue().historyDigest();
  }

  /** The op number after executing {@code seq} (at or above the base). */
  long opNumberAt(long seq) {
    if (seq == baseSeq) return baseOpNumber;
    return slots.get(seq).opNumberEnd();
  }

  /** The history digest at {@code seq}, or null if it is below the base or beyond the head. */
  Digest digestAt(long seq) {
    if (seq == baseSeq) return baseDigest;
    Slot slot = slots.get(seq);
    return slot == null ? null : slot.historyDigest();
  }

  Slot slot(long seq) {
    return slots.get(seq);
  }

  /** The slots in [from, to] that exist. */
  Iterable<Slot> range(long from, long to) {
    if (from > to) return List.of();
    return slots.subMap(from, true, to, true).values();
  }

  void append(Slot slot) {
    assert slot.seq() == lastSeq() + 1 : "a gap in the history at " + slot.seq();
    assert slot.previousDigest().equals(lastDigest()) : "a history that does not chain";
    slots.put(slot.seq(), slot);
  }

  /** Forgets every slot above {@code seq}. */
  void truncateAbove(long seq) {
    assert seq >= baseSeq : "truncated below the base";
    slots.tailMap(seq, false).clear();
  }

  /** The stable checkpoint moved to {@code seq}: slots at or below it are freed. */
  void prune(long seq) {
    assert seq > baseSeq && seq <= lastSeq() : "pruned to " + seq;
    baseOpNumber = opNumberAt(seq);
    baseDigest = digestAt(seq);
    baseSeq = seq;
    slots.headMap(seq, true).clear();
  }

  /** The history is replaced by a transferred checkpoint's state. */
  void reset(long seq, Digest digest, long opNumber) {
    slots.clear();
    baseSeq = seq;
    baseDigest = digest;
    baseOpNumber = opNumber;
  }

  /** Every slot is now the history of {@code view} (a NEW-VIEW adopted it). */
  void restamp(long view) {
    for (Map.Entry<Long, Slot> entry : slots.entrySet()) {
      Slot slot = entry.getValue();
      entry.setValue(
          new Slot(
              view,
              slot.seq(),
              slot.previousDigest(),
              slot.historyDigest(),
              slot.batch(),
              Bytes.EMPTY,
              slot.opNumberEnd()));
    }
  }

  int size() {
    return slots.size();
  }
}
