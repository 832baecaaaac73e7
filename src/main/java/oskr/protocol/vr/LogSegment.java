package oskr.protocol.vr;

import java.util.ArrayList;
import java.util.List;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.protocol.vr.VrMessage.Request;

/**
 * A stretch of a replica's log, the requests at op numbers {@code firstOp ..} {@link #lastOp()}, as
 * DO-VIEW-CHANGE, START-VIEW, RECOVERY-RESPONSE and NEW-STATE carry it (VR §4.2, §4.3, §5.2). The
 * ops below {@code firstOp} are committed and covered by a checkpoint (VR §5.1): a replica that
 * lacks them fetches the snapshot. An empty segment has {@code lastOp() == firstOp - 1}.
 */
record LogSegment(long firstOp, List<Request> entries) {
  /** The most entries in one segment: far above a checkpoint interval plus the pipeline. */
  static final int ENTRIES_MAX = 1 << 20;

  /** The fewest bytes one entry takes on the wire: client id, request number, op length. */
  private static final int ENTRY_BYTES_MIN = 8 + 8 + 4;

  LogSegment {
    assert firstOp >= 1 : firstOp; // pair: the decoder rejects firstOp 0
    entries = List.copyOf(entries);
  }

  static LogSegment empty(long firstOp) {
    return new LogSegment(firstOp, List.of());
  }

  long lastOp() {
    return firstOp + entries.size() - 1;
  }

  Request get(long op) {
    return entries.get((int) (op - firstOp));
  }

  void encode(Writer out) {
    out.u64(firstOp).u32(entries.size());
    for (Request request : entries) request.encodeEntry(out);
  }

  static LogSegment decode(Reader in) throws MalformedMessage {
    long firstOp = in.u64();
    if (firstOp == 0 || firstOp > Long.MAX_VALUE - ENTRIES_MAX) {
      throw MalformedMessage.of("LogSegment.firstOp");
    }
    int count = in.count(ENTRIES_MAX);
    List<Request> entries = new ArrayList<>(Math.min(count, in.remaining() / ENTRY_BYTES_MIN));
    for (int i = 0; i < count; i++) entries.add(Request.decodeEntry(in));
    return new LogSegment(firstOp, entries);
  }
}
