package oskr.protocol.vr;

import java.util.ArrayList;
import java.util.List;
import oskr.core.Address;
import oskr.protocol.vr.VrMessage.Request;

/**
 * A replica's log (VR §4): the requests at op numbers {@link #start()} .. {@link #lastOp()}, the
 * ops below the start being covered by a checkpoint (§5.1). A ring buffer: appending, truncating
 * either end and looking up by op number allocate nothing (beyond growing). Beside each request the
 * primary keeps the address of the client that sent it, to reply once it executes; entries that
 * came from another replica have none.
 */
final class VrLog {
  private Request[] requests = new Request[64];
  private Address[] clients = new Address[64];
  private int head;
  private int size;
  private long start = 1;

  /** The op number of the first entry (or of the next one, if empty). */
  long start() {
    return start;
  }

  /** The op number of the last entry: VR's op-number. */
  long lastOp() {
    return start + size - 1;
  }

  int size() {
    return size;
  }

  boolean contains(long op) {
    return op >= start && op <= lastOp();
  }

  Request get(long op) {
    assert contains(op) : op;
    return requests[slot(op)];
  }

  /** The client to reply to, or null if the entry came from another replica. */
  Address client(long op) {
    assert contains(op) : op;
    return clients[slot(op)];
  }

  void append(Request request, Address client) {
    if (size == requests.length) grow();
    int slot = (head + size) & (requests.length - 1);
    requests[slot] = request;
    clients[slot] = client;
    size++;
  }

  /** Keeps the entries up to {@code op}; below the start, the log becomes empty from op + 1. */
  void truncateAfter(long op) {
    if (op < start - 1) {
      clear(op + 1);
      return;
    }
    while (lastOp() > op) {
      int slot = slot(lastOp());
      requests[slot] = null;
      clients[slot] = null;
      size--;
    }
  }

  /** Drops the entries below {@code op}; past the end, the log becomes empty from {@code op}. */
  void dropBefore(long op) {
    if (op > lastOp() + 1) {
      clear(op);
      return;
    }
    while (start < op) {
      requests[head] = null;
      clients[head] = null;
      head = (head + 1) & (requests.length - 1);
      start++;
      size--;
    }
  }

  /**
   * Takes the segment's entries from its first op on, keeping our own entries below it if they
   * reach it (else none: the log starts at the segment). The caller keeps only entries it knows to
   * be committed below the segment.
   */
  void replaceFrom(LogSegment segment) {
    if (lastOp() < segment.firstOp() - 1) {
      clear(segment.firstOp());
    } else {
      truncateAfter(segment.firstOp() - 1);
    }
    assert lastOp() == segment.firstOp() - 1 : "a gap before the segment";
    for (Request request : segment.entries()) append(request, null);
  }

  /** Appends the segment's entries above our last op; the segment reaches at least lastOp + 1. */
  void extendWith(LogSegment segment) {
    assert segment.firstOp() <= lastOp() + 1 : "a gap before the segment";
    for (long op = lastOp() + 1; op <= segment.lastOp(); op++) append(segment.get(op), null);
  }

  /** A copy of the entries {@code from} .. {@code to} (at most the log's). */
  LogSegment segment(long from, long to) {
    assert from >= start && to <= lastOp() : from + ".." + to;
    List<Request> entries = new ArrayList<>((int) Math.max(0, to - from + 1));
    for (long op = from; op <= to; op++) entries.add(get(op));
    return new LogSegment(from, entries);
  }

  private void clear(long newStart) {
    java.util.Arrays.fill(requests, null);
    java.util.Arrays.fill(clients, null);
    head = 0;
    size = 0;
    start = newStart;
  }

  private int slot(long op) {
    return (int) ((head + (op - start)) & (requests.length - 1));
  }

  private void grow() {
    Request[] moreRequests = new Request[requests.length * 2];
    Address[] moreClients = new Address[requests.length * 2];
    for (int i = 0; i < size; i++) {
      moreRequests[i] = requests[(head + i) & (requests.length - 1)];
      moreClients[i] = clients[(head + i) & (requests.length - 1)];
    }
    requests = moreRequests;
    clients = moreClients;
    head = 0;
  }
}
