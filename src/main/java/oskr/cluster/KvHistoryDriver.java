package oskr.cluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import oskr.app.KvOp;
import oskr.core.Bytes;
import oskr.protocol.Completion;
import oskr.runtime.ClientDriver;

/**
 * Closed-loop KV clients that record every operation: half Puts of values unique to the run (so a
 * read names the write it saw), half Gets, over a few keys so that clients contend. After {@link
 * #stop()}, client 0 reads every key once more (the final reads) and the others go idle.
 *
 * <p>Each client is called on its own event-loop thread; the shared record is guarded by {@code
 * this}.
 */
final class KvHistoryDriver implements ClientDriver {
  private final List<Bytes> keys;
  private final Random[] randoms;
  private final long[] sequence;
  private final Integer[] outstanding; // per client: its open entry's index
  private final List<Builder> record = new ArrayList<>();
  private final double opsPerNanoPerClient; // 0: as fast as the cluster answers
  private final long startNanos = System.nanoTime();
  private final long[] issued;
  private final java.util.concurrent.atomic.AtomicBoolean[] idle;
  private volatile boolean stopping;
  private int finalReadsIssued; // client 0 only, on its loop thread

  /** An entry while its answer is awaited. */
  private record Builder(int client, long invokeMicros, KvOp op, boolean finalRead) {}

  private final List<Optional<Long>> responses = new ArrayList<>();
  private final List<Optional<Bytes>> results = new ArrayList<>();

  /**
   * @param rate operations per second of all clients together, at most; 0 for no bound (the bound
   *     keeps a long history small enough to check)
   */
  KvHistoryDriver(int clients, int keyCount, long seed, double rate) {
    this.opsPerNanoPerClient = rate / clients / 1e9;
    this.issued = new long[clients];
    this.idle = new java.util.concurrent.atomic.AtomicBoolean[clients];
    for (int c = 0; c < clients; c++) idle[c] = new java.util.concurrent.atomic.AtomicBoolean();
    List<Bytes> names = new ArrayList<>();
    for (int k = 0; k < keyCount; k++) names.add(Bytes.utf8("k" + k));
    this.keys = List.copyOf(names);
    this.randoms = new Random[clients];
    for (int c = 0; c < clients; c++) randoms[c] = new Random(seed * 1_000_003L + c);
    this.sequence = new long[clients];
    this.outstanding = new Integer[clients];
  }

  static long nowMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
  }

  @Override
  public Bytes nextOp(int client) {
    issued[client]++;
    KvOp op;
    boolean finalRead = false;
    if (stopping && client == 0) {
      op = new KvOp.Get(keys.get(finalReadsIssued++));
      finalRead = true;
    } else {
      Bytes key = keys.get(randoms[client].nextInt(keys.size()));
      op =
          randoms[client].nextBoolean()
              ? new KvOp.Get(key)
              : new KvOp.Put(key, Bytes.utf8("c" + client + "." + sequence[client]++));
    }
    synchronized (this) {
      outstanding[client] = record.size();
      record.add(new Builder(client, nowMicros(), op, finalRead));
      responses.add(Optional.empty());
      results.add(Optional.empty());
    }
    return op.encode();
  }

  @Override
  public void completed(int client, Bytes result, Completion completion, long latencyNanos) {
    long now = nowMicros();
    synchronized (this) {
      Integer index = outstanding[client];
      if (index == null) throw new IllegalStateException("client " + client + " had no operation");
      outstanding[client] = null;
      responses.set(index, Optional.of(now));
      results.set(index, Optional.of(result));
    }
  }

  @Override
  public boolean finished(int client) {
    if (stopping) return client != 0 || finalReadsIssued == keys.size();
    if (!overRate(client)) return false;
    // Idle until the pacer resumes it: the resume runs on this loop thread after this call.
    idle[client].set(true);
    return true;
  }

  private boolean overRate(int client) {
    if (opsPerNanoPerClient == 0) return false;
    return issued[client] >= 1 + (System.nanoTime() - startNanos) * opsPerNanoPerClient;
  }

  /**
   * Whether client {@code client}, idle because of the rate bound, may go on now (then it is no
   * longer idle and the caller must resume it). Client 0 goes on when stopped, for the final reads.
   */
  boolean takeResumable(int client) {
    if (!idle[client].get()) return false;
    boolean go = stopping ? client == 0 : !overRate(client);
    return go && idle[client].compareAndSet(true, false);
  }

  /** Ends the workload: client 0 goes on to the final reads, the others stop. */
  void stop() {
    stopping = true;
  }

  /** Whether every final read completed. */
  synchronized boolean finalReadsDone() {
    if (!stopping) return false;
    long done =
        java.util.stream.IntStream.range(0, record.size())
            .filter(i -> record.get(i).finalRead() && responses.get(i).isPresent())
            .count();
    return done == keys.size();
  }

  /** Every operation so far, those still unanswered as timed out. */
  synchronized History history() {
    List<HistoryEntry> entries = new ArrayList<>();
    for (int i = 0; i < record.size(); i++) {
      Builder b = record.get(i);
      entries.add(
          new HistoryEntry(
              b.client(),
              b.invokeMicros(),
              responses.get(i),
              b.op(),
              results.get(i),
              b.finalRead()));
    }
    return new History(entries);
  }
}
