package oskr.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;
import oskr.sim.linearizability.HistoryRecorder;
import oskr.sim.linearizability.LinearizabilityChecker;
import oskr.sim.linearizability.Verdict;

/**
 * A client-observed KV history of a real cluster, as {@link KvHistoryClient} writes it: checked
 * with the simulator's {@link LinearizabilityChecker}, for lost acknowledged writes, and measured
 * (throughput in a time span, the first completion after a fault).
 */
public final class History {
  private final List<HistoryEntry> entries;

  public History(List<HistoryEntry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<HistoryEntry> entries() {
    return entries;
  }

  public static History read(Path file) throws IOException {
    List<HistoryEntry> entries = new ArrayList<>();
    int number = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      number++;
      if (line.isBlank()) continue;
      try {
        entries.add(HistoryEntry.parse(line));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
      }
    }
    return new History(entries);
  }

  public void write(Path file) throws IOException {
    StringBuilder text = new StringBuilder();
    for (HistoryEntry entry : entries) text.append(entry.line()).append('\n');
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /** The verdict of the simulator's checker, and results that did not decode (a replica bug). */
  public record Check(Verdict verdict, List<String> problems) {}

  public Check checkLinearizable() {
    HistoryRecorder recorder = new HistoryRecorder();
    for (HistoryEntry entry : entries) {
      int handle = recorder.invoke(entry.client(), entry.invokeMicros(), entry.op());
      if (entry.responseMicros().isPresent()) {
        recorder.complete(handle, entry.responseMicros().get(), entry.result().orElseThrow());
      }
    }
    Verdict verdict = new LinearizabilityChecker().check(recorder.history());
    return new Check(verdict, recorder.problems());
  }

  /**
   * Acknowledged writes the final reads do not reflect: for each key, the final read must see a
   * value, once a Put on the key was acknowledged before the read began, and that value's Put must
   * not end before such an acknowledged Put began (else the later write was lost). Also lists keys
   * whose final read never completed. Empty when nothing was lost.
   */
  public List<String> lostWrites() {
    Map<Bytes, HistoryEntry> putByValue = new HashMap<>();
    Map<Bytes, List<HistoryEntry>> acknowledged = new HashMap<>();
    for (HistoryEntry entry : entries) {
      if (entry.op() instanceof KvOp.Put put) {
        putByValue.put(put.value(), entry);
        if (entry.responseMicros().isPresent()) {
          acknowledged.computeIfAbsent(put.key(), k -> new ArrayList<>()).add(entry);
        }
      }
    }
    List<String> lost = new ArrayList<>();
    for (Bytes key : keysWithFinalReads()) {
      Optional<HistoryEntry> read = finalRead(key);
      if (read.isEmpty() || read.get().responseMicros().isEmpty()) {
        lost.add("the final read of " + key.utf8String() + " did not complete");
        continue;
      }
      long readInvoke = read.get().invokeMicros();
      KvResult result = decodeGet(read.get());
      for (HistoryEntry put : acknowledged.getOrDefault(key, List.of())) {
        if (put.responseMicros().orElseThrow() >= readInvoke) continue;
        String written = ((KvOp.Put) put.op()).value().utf8String();
        if (!(result instanceof KvResult.GetResult get) || !get.found()) {
          lost.add("key " + key.utf8String() + ": final read absent after " + written + " acked");
          break;
        }
        HistoryEntry seen = putByValue.get(get.value());
        if (seen == null) {
          lost.add("key " + key.utf8String() + ": final read saw a value nobody wrote");
          break;
        }
        if (seen.responseMicros().isPresent() && seen.responseMicros().get() < put.invokeMicros()) {
          lost.add(
              "key %s: final read saw %s, written before the acknowledged %s"
                  .formatted(key.utf8String(), get.value().utf8String(), written));
          break;
        }
      }
    }
    return lost;
  }

  private List<Bytes> keysWithFinalReads() {
    List<Bytes> keys = new ArrayList<>();
    for (HistoryEntry entry : entries) {
      if (entry.finalRead() && entry.op() instanceof KvOp.Get get && !keys.contains(get.key())) {
        keys.add(get.key());
      }
    }
    return keys;
  }

  private Optional<HistoryEntry> finalRead(Bytes key) {
    Optional<HistoryEntry> last = Optional.empty();
    for (HistoryEntry entry : entries) {
      if (entry.finalRead() && entry.op() instanceof KvOp.Get get && get.key().equals(key)) {
        last = Optional.of(entry);
      }
    }
    return last;
  }

  private static KvResult decodeGet(HistoryEntry read) {
    HistoryRecorder one = new HistoryRecorder();
    int handle = one.invoke(read.client(), read.invokeMicros(), read.op());
    one.complete(handle, read.responseMicros().orElseThrow(), read.result().orElseThrow());
    if (!one.problems().isEmpty()) return null;
    return one.history().get(0).result();
  }

  /** Completed operations (final reads excluded) per second with responses in [from, to). */
  public double throughput(long fromMicros, long toMicros) {
    if (toMicros <= fromMicros) throw new IllegalArgumentException("empty span");
    long count =
        entries.stream()
            .filter(e -> !e.finalRead() && e.responseMicros().isPresent())
            .filter(
                e -> e.responseMicros().get() >= fromMicros && e.responseMicros().get() < toMicros)
            .count();
    return count * 1e6 / (toMicros - fromMicros);
  }

  /** The earliest response to an operation invoked at or after {@code micros}, if any. */
  public OptionalLong firstCompletionInvokedAfter(long micros) {
    return entries.stream()
        .filter(e -> e.invokeMicros() >= micros && e.responseMicros().isPresent())
        .mapToLong(e -> e.responseMicros().get())
        .min();
  }

  public long completed() {
    return entries.stream().filter(e -> e.responseMicros().isPresent()).count();
  }
}
