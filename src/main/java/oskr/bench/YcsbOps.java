package oskr.bench;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import oskr.app.YcsbOp;
import oskr.app.YcsbResult;
import oskr.app.ycsb.ClientStream;
import oskr.app.ycsb.CoreWorkload;
import oskr.app.ycsb.OpKind;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;

/**
 * YCSB's ops for the closed-loop clients: in the load phase each client inserts its share of the
 * records and then stops; in the run phase each draws from the workload's mix without end (the
 * window bounds the run). A result that is not OK (not found, store full) or does not decode counts
 * as failed for its kind, as YCSB counts its non-OK return codes.
 */
public final class YcsbOps implements OpStream {
  /** Which of YCSB's two phases. */
  public enum Phase {
    LOAD,
    RUN
  }

  private static final List<String> KINDS =
      Arrays.stream(OpKind.values()).map(OpKind::ycsbName).toList();

  private final Phase phase;
  private final ClientStream[] streams;
  private final OpKind[] lastKind;
  private final long loadTotal;
  private final LongAdder loadCompleted = new LongAdder();

  public YcsbOps(CoreWorkload workload, int clients, Phase phase) {
    this.phase = phase;
    this.streams = new ClientStream[clients];
    this.lastKind = new OpKind[clients];
    long total = 0;
    for (int client = 0; client < clients; client++) {
      streams[client] = workload.stream(client, clients);
      total += streams[client].loadCount();
    }
    this.loadTotal = total;
  }

  @Override
  public List<String> kinds() {
    return KINDS;
  }

  @Override
  public Bytes next(int client) {
    YcsbOp op = phase == Phase.LOAD ? streams[client].nextLoad() : streams[client].nextRun();
    lastKind[client] = OpKind.of(op);
    return op.encode();
  }

  @Override
  public Result completed(int client, Bytes result) {
    if (phase == Phase.LOAD) loadCompleted.increment();
    boolean ok;
    try {
      ok = YcsbResult.decode(result).status() == YcsbResult.Status.OK;
    } catch (MalformedMessage e) {
      ok = false;
    }
    return new Result(lastKind[client].ordinal(), ok);
  }

  @Override
  public boolean finished(int client) {
    return phase == Phase.LOAD && streams[client].loadDone();
  }

  /** The load phase: whether every record was inserted (with whatever result). */
  public boolean loadComplete() {
    return loadCompleted.sum() >= loadTotal;
  }

  /** The load phase: the inserts completed so far, of {@link #loadTotal()}. */
  public long loadCompleted() {
    return loadCompleted.sum();
  }

  public long loadTotal() {
    return loadTotal;
  }
}
