package oskr.sim.dst;

import java.util.Locale;
import java.util.SplittableRandom;
import oskr.app.KvOp;
import oskr.app.KvResult;
import oskr.core.Bytes;
import oskr.core.MalformedMessage;
import oskr.core.Reader;
import oskr.core.Writer;
import oskr.sim.OpSource;
import oskr.sim.linearizability.HistoryFormat;

/**
 * Random KV operations on a small key space, so clients overlap on keys: gets, puts, deletes and
 * scans in seed-chosen proportions. Every op is wrapped in a tag (client, number) that makes it
 * unique, so a request executed twice shows in the replicas' histories even when its KV op repeats;
 * {@link TaggedKvApp} strips the tag before the store sees the op. Put values are unique too
 * ({@code c2.7}), which lets the linearizability checker tell writes apart.
 *
 * @param keys the key space {@code k0 .. k(keys-1)}
 * @param getWeight relative frequency of gets (likewise the others)
 */
public record KvWorkload(int keys, int getWeight, int putWeight, int deleteWeight, int scanWeight)
    implements OpSource {
  /** Bytes of the tag in front of the KV op: u32 client, u64 number. */
  static final int TAG_BYTES = 4 + 8;

  public KvWorkload {
    if (keys < 1) throw new IllegalArgumentException("no keys");
    if (getWeight < 0 || putWeight < 0 || deleteWeight < 0 || scanWeight < 0) {
      throw new IllegalArgumentException("negative weight");
    }
    if (getWeight + putWeight + deleteWeight + scanWeight == 0) {
      throw new IllegalArgumentException("all weights zero");
    }
  }

  /** Draws a key space of 1 to 6 keys and a mix where each kind has weight 0 to 4 (puts 1 to 4). */
  public static KvWorkload draw(SplittableRandom random) {
    return new KvWorkload(
        1 + random.nextInt(6),
        random.nextInt(5),
        1 + random.nextInt(4),
        random.nextInt(5),
        random.nextInt(5));
  }

  @Override
  public Bytes op(int client, long number, SplittableRandom random) {
    return tag(client, number, kvOp(client, number, random));
  }

  KvOp kvOp(int client, long number, SplittableRandom random) {
    int pick = random.nextInt(getWeight + putWeight + deleteWeight + scanWeight);
    if (pick < getWeight) return new KvOp.Get(key(random));
    pick -= getWeight;
    if (pick < putWeight) return new KvOp.Put(key(random), Bytes.utf8("c" + client + "." + number));
    pick -= putWeight;
    if (pick < deleteWeight) return new KvOp.Delete(key(random));
    int from = random.nextInt(keys);
    int limit = 1 + random.nextInt(keys);
    // A third of scans run to the end of the key space.
    if (random.nextInt(3) == 0) return KvOp.Scan.toEnd(key(from), limit);
    return new KvOp.Scan(key(from), key(from + 1 + random.nextInt(keys - from)), limit);
  }

  private Bytes key(SplittableRandom random) {
    return key(random.nextInt(keys));
  }

  private static Bytes key(int index) {
    return Bytes.utf8("k" + index);
  }

  static Bytes tag(int client, long number, KvOp op) {
    Bytes encoded = op.encode();
    Writer out = new Writer(TAG_BYTES + encoded.length());
    out.u32(client).u64(number).raw(encoded.unsafeArray(), 0, encoded.length());
    return out.toBytes();
  }

  /** The KV op inside a tagged op. */
  public static KvOp untag(Bytes tagged) throws MalformedMessage {
    return KvOp.decode(payload(tagged));
  }

  static Bytes payload(Bytes tagged) throws MalformedMessage {
    if (tagged.length() < TAG_BYTES) throw MalformedMessage.of("tagged op too short");
    return Bytes.copyOf(tagged.unsafeArray(), TAG_BYTES, tagged.length() - TAG_BYTES);
  }

  @Override
  public String describeOp(Bytes op) {
    try {
      Reader in = new Reader(op.unsafeArray());
      return "c" + in.u32() + "#" + in.u64() + " " + HistoryFormat.op(untag(op));
    } catch (MalformedMessage e) {
      return "malformed op " + HistoryFormat.bytes(op);
    }
  }

  @Override
  public String describeResult(Bytes op, Bytes result) {
    try {
      return HistoryFormat.result(KvResult.decodeFor(untag(op), result));
    } catch (MalformedMessage e) {
      return "undecodable result " + HistoryFormat.bytes(result);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "KV workload: %d keys, get:put:delete:scan = %d:%d:%d:%d",
        keys,
        getWeight,
        putWeight,
        deleteWeight,
        scanWeight);
  }
}
